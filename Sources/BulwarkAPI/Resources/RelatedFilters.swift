import BulwarkStorage
import Foundation
import SQLKit

/// Small pieces shared by the engagement, test and configuration resources: filters that reach
/// through a parent (`engagement__product__tags`), Django's URL check, and empty list fields.
enum RelatedFilters {
    /// Which tag filter a related-tag parameter is.
    enum TagMode: Sendable { case any, all, none }

    /// `notes=<id>`: objects carrying that note.
    static func notes(objectType: String, table: String) -> FilterSpec {
        FilterSpec("notes", column: "id", .custom({ raw, _ throws(FilterError) in
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let note = Int(trimmed) else { throw FilterError(parameter: "notes", message: "“\(trimmed)” is not a valid value.") }
            return """
                \(ident: table).\(ident: "id") IN (SELECT \(ident: "object_id") FROM \(ident: "note_links")
                WHERE \(ident: "object_type") = \(bind: objectType) AND \(ident: "note_id") = \(bind: note))
                """
        }), .integer)
    }

    /// A tag filter on a grand-parent: rows whose `outer` column is in `SELECT id FROM <via>
    /// WHERE <viaColumn> IN (<objects of objectType with the tags>)`.
    /// - Parameters:
    ///   - outer: `table.column` of the listed resource pointing at `via` (`tests.engagement_id`).
    ///   - via: the intermediate table (`engagements`) and its column pointing at the tagged object (`product_id`).
    static func throughTags(_ parameter: String, objectType: String, mode: TagMode,
                            outer: (table: String, column: String), via: (table: String, column: String)) -> FilterSpec {
        FilterSpec(parameter, column: outer.column, .custom({ raw, _ throws(FilterError) in
            let names = ListQueryBuilder.tagNames(raw)
            guard !names.isEmpty else { return nil }
            let tagged = ListQueryBuilder.taggedObjects(objectType: objectType, names: names, requireAll: mode == .all)
            let parents: SQLQueryString = "SELECT \(ident: "id") FROM \(ident: via.table) WHERE \(ident: via.column) IN (" + tagged + ")"
            let operation: SQLQueryString = mode == .none ? " NOT IN (" : " IN ("
            return "\(ident: outer.table).\(ident: outer.column)" + operation + parents + ")"
        }))
    }

    /// Django's URLValidator, closely enough: http(s)/ftp(s) scheme, a host that is a domain with a
    /// dot, `localhost` or an IP literal, and no whitespace.
    static func isValidURL(_ text: String) -> Bool {
        guard !text.contains(where: { $0.isWhitespace }),
              let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), ["http", "https", "ftp", "ftps"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { return false }
        if host == "localhost" || host.hasPrefix("[") || host.contains(":") { return true }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    /// 409 when rows of `table` still point at `id` through `column` (Django's RestrictedError).
    static func refuseIfReferenced(model: String, id: Int, by table: String, column: String, as reference: String, db: any SQLDatabase) async throws {
        let used = try await db.raw("SELECT 1 AS \(ident: "one") FROM \(ident: table) WHERE \(ident: column) = \(bind: id)").first() != nil
        guard used else { return }
        throw APIError.message(.conflict, "Cannot delete some instances of model '\(model)' because they are referenced through restricted foreign keys: '\(reference)'.")
    }
}
import Vapor
