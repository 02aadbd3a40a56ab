import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// The history of imports and reimports the user may see, with per-finding action counts.
struct ImportsQuery: Sendable {
    var db: any SQLDatabase
    var user: UserAccount

    /// The newest imports, optionally of one test.
    func latest(limit: Int, offset: Int = 0, test: Int? = nil) async throws -> [Dashboard.ImportSummary] {
        var conditions = AccessPolicy.productVisibility(user)
        if let test { conditions.append("\(ident: "tests").\(ident: "id") = \(bind: test)") }
        let rows = try await db.raw("""
            SELECT \(ident: "test_imports").\(ident: "id") AS \(ident: "id"), \(ident: "test_imports").\(ident: "type") AS \(ident: "kind"),
              \(ident: "test_imports").\(ident: "created") AS \(ident: "created"), \(ident: "tests").\(ident: "id") AS \(ident: "test_id"),
              \(ident: "tests").\(ident: "title") AS \(ident: "title"), \(ident: "tests").\(ident: "scan_type") AS \(ident: "scan_type"),
              \(ident: "products").\(ident: "id") AS \(ident: "product_id"), \(ident: "products").\(ident: "name") AS \(ident: "product_name")
            FROM \(ident: "test_imports") JOIN \(ident: "tests") ON \(ident: "tests").\(ident: "id") = \(ident: "test_imports").\(ident: "test_id")
            JOIN \(ident: "engagements") ON \(ident: "engagements").\(ident: "id") = \(ident: "tests").\(ident: "engagement_id")
            JOIN \(ident: "products") ON \(ident: "products").\(ident: "id") = \(ident: "engagements").\(ident: "product_id")
            WHERE
            """ + conditions.joinedAsConditions() + " ORDER BY \(ident: "test_imports").\(ident: "id") DESC LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
        var items = try rows.map { row in
            let scanType = try row.decode(column: "scan_type", as: String?.self) ?? ""
            return Dashboard.ImportSummary(
                id: try row.decode(column: "id", as: Int.self), kind: try row.decode(column: "kind", as: String.self),
                date: (try row.decode(column: "created", as: Date?.self)).map(DateFormatting.instant) ?? "",
                test: try row.decode(column: "test_id", as: Int.self),
                testTitle: (try row.decode(column: "title", as: String?.self)).flatMap { $0.isEmpty ? nil : $0 } ?? scanType,
                scanType: scanType, product: try row.decode(column: "product_id", as: Int.self),
                productName: try row.decode(column: "product_name", as: String.self), created: 0, closed: 0, reactivated: 0, untouched: 0)
        }
        guard !items.isEmpty else { return [] }
        let counts = try await db.raw("""
            SELECT \(ident: "test_import_id"), \(ident: "action"), COUNT(*) AS \(ident: "n") FROM \(ident: "test_import_finding_actions")
            WHERE \(ident: "test_import_id") IN (\(binds: items.map(\.id))) GROUP BY \(ident: "test_import_id"), \(ident: "action")
            """).all()
        for row in counts {
            let id = try row.decode(column: "test_import_id", as: Int.self), n = try row.decode(column: "n", as: Int.self)
            guard let index = items.firstIndex(where: { $0.id == id }) else { continue }
            switch ImportAction(rawValue: try row.decode(column: "action", as: String.self)) {
            case .created: items[index].created = n
            case .closed: items[index].closed = n
            case .reactivated: items[index].reactivated = n
            case .untouched: items[index].untouched = n
            case nil: break
            }
        }
        return items
    }
}
