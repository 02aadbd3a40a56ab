import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

extension ProductPages {
    /// Reads the product tree for one user; every page applies the user's product scope.
    struct Query: Sendable {
        var db: any SQLDatabase
        var user: UserAccount

        var access: AccessPolicy { AccessPolicy(user: user, db: db) }

        func text(_ row: any SQLRow, _ column: String) throws -> String { try row.decode(column: column, as: String?.self) ?? "" }

        func severityCounts(_ condition: SQLQueryString) async throws -> [Dashboard.SeverityCount] {
            let rows = try await db.raw("""
                SELECT \(ident: "severity"), COUNT(*) AS \(ident: "n") FROM \(ident: "findings") WHERE \(ident: "active") = \(bind: true) AND
                """ + " " + condition + " GROUP BY \(ident: "severity")").all()
            var counts: [String: Int] = [:]
            for row in rows { counts[try row.decode(column: "severity", as: String.self)] = try row.decode(column: "n", as: Int.self) }
            return Components.severities.map { Dashboard.SeverityCount(severity: $0, count: counts[$0] ?? 0) }
        }

        func productTypes() async throws -> ListModel {
            let rows = try await db.raw("""
                SELECT product_types.id, product_types.name, (SELECT COUNT(*) FROM products WHERE products.prod_type_id = product_types.id) AS products
                FROM product_types WHERE
                """ + AccessPolicy.productTypeVisibility(user).joinedAsConditions() + " ORDER BY product_types.name LIMIT 1000").all()
            return ListModel(title: "Product types", headers: ["Products"], rows: try rows.map { row in
                Row(id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                    columns: [String(try row.decode(column: "products", as: Int.self))])
            }, linkPrefix: Links.productTypes, actions: user.isSuperuser ? [Action(label: "Add product type", path: Links.newProductType)] : [])
        }

        func products(type: Int? = nil) async throws -> ListModel {
            var conditions = AccessPolicy.productVisibility(user)
            if let type { conditions.append("products.prod_type_id = \(bind: type)") }
            let rows = try await db.raw("""
                SELECT products.id, products.name, product_types.name AS type_name, sla_configurations.name AS sla_name
                FROM products JOIN product_types ON product_types.id = products.prod_type_id
                JOIN sla_configurations ON sla_configurations.id = products.sla_configuration_id WHERE
                """ + conditions.joinedAsConditions() + " ORDER BY products.name LIMIT 1000").all()
            return ListModel(title: "Products", headers: ["Product type", "SLA configuration"], rows: try rows.map { row in
                Row(id: try row.decode(column: "id", as: Int.self), name: try row.decode(column: "name", as: String.self),
                    columns: [try text(row, "type_name"), try text(row, "sla_name")])
            }, linkPrefix: Links.products, actions: [Action(label: "Product types", path: Links.productTypes), Action(label: "Add product", path: Links.newProduct)])
        }

        func productType(_ id: Int) async throws -> DetailModel? {
            guard let row = try await db.raw("SELECT id, name, description FROM product_types WHERE product_types.id = \(bind: id) AND "
                                             + AccessPolicy.productTypeVisibility(user).joinedAsConditions()).first() else { return nil }
            var children = try await products(type: id)
            children.actions = [Action(label: "Add product", path: "\(Links.newProduct)?prod_type=\(id)")]
            let name = try text(row, "name")
            return DetailModel(title: name, breadcrumbs: [Action(label: "Product types", path: Links.productTypes), Action(label: name, path: Links.productType(id))],
                               facts: [Fact(label: "Name", value: name), Fact(label: "Description", value: try text(row, "description"))],
                               severityCounts: try await severityCounts("findings.product_id IN (SELECT id FROM products WHERE prod_type_id = \(bind: id))"),
                               findingsQuery: "", children: [children],
                               actions: try await access.canEditProductType(id) ? [Action(label: "Edit", path: Links.editProductType(id))] : [])
        }

        func product(_ id: Int) async throws -> DetailModel? {
            guard try await access.isProductVisible(id),
                  let row = try await db.raw("""
                    SELECT p.id, p.name, p.description, p.business_criticality, p.platform, p.lifecycle, p.origin, p.prod_type_id, pt.name AS type_name,
                      s.name AS sla_name, s.critical, s.enforce_critical, s.high, s.enforce_high, s.medium, s.enforce_medium, s.low, s.enforce_low
                    FROM products p JOIN product_types pt ON pt.id = p.prod_type_id JOIN sla_configurations s ON s.id = p.sla_configuration_id
                    WHERE p.id = \(bind: id)
                    """).first()
            else { return nil }
            func sla(_ severity: String) throws -> String {
                guard try row.decode(column: "enforce_\(severity)", as: Bool.self) else { return "not enforced" }
                let days = try row.decode(column: severity, as: Int.self)
                return "\(days) days"
            }
            let critical = try sla("critical"), high = try sla("high"), medium = try sla("medium"), low = try sla("low")
            let slaDays = "Critical \(critical), High \(high), Medium \(medium), Low \(low)"
            let name = try text(row, "name"), typeID = try row.decode(column: "prod_type_id", as: Int.self)
            let engagementRows = try await db.raw("""
                SELECT e.id, e.name, e.status, e.target_start, e.target_end, (SELECT COUNT(*) FROM tests t WHERE t.engagement_id = e.id) AS tests
                FROM engagements e WHERE e.product_id = \(bind: id) ORDER BY e.id DESC LIMIT 200
                """).all()
            let engagements = ListModel(title: "Engagements", headers: ["Status", "Start", "End", "Tests"], rows: try engagementRows.map { row in
                let engagementID = try row.decode(column: "id", as: Int.self)
                let engagementName = try text(row, "name")
                return Row(id: engagementID, name: engagementName.isEmpty ? "Engagement \(engagementID)" : engagementName,
                           columns: [try text(row, "status"), try text(row, "target_start"), try text(row, "target_end"), String(try row.decode(column: "tests", as: Int.self))])
            }, linkPrefix: "/engagement", actions: [Action(label: "Add engagement", path: Links.newEngagement(product: id))])
            let canEdit = try await access.canEditProduct(id)
            return DetailModel(
                title: name,
                breadcrumbs: [Action(label: "Products", path: Links.products), Action(label: try text(row, "type_name"), path: Links.productType(typeID)),
                              Action(label: name, path: Links.product(id))],
                facts: [Fact(label: "Description", value: try text(row, "description")), Fact(label: "Product type", value: try text(row, "type_name")),
                        Fact(label: "Business criticality", value: try text(row, "business_criticality")), Fact(label: "Platform", value: try text(row, "platform")),
                        Fact(label: "Lifecycle", value: try text(row, "lifecycle")), Fact(label: "Origin", value: try text(row, "origin")),
                        Fact(label: "SLA configuration", value: try text(row, "sla_name")),
                        Fact(label: "SLA days", value: slaDays)],
                severityCounts: try await severityCounts("findings.product_id = \(bind: id)"), findingsQuery: "product=\(id)",
                children: [engagements], actions: canEdit ? [Action(label: "Edit", path: Links.editProduct(id))] : [])
        }

        func engagement(_ id: Int) async throws -> DetailModel? {
            guard try await access.isVisible(.engagements, id: id),
                  let row = try await db.raw("""
                    SELECT e.id, e.name, e.description, e.status, e.engagement_type, e.target_start, e.target_end, e.version, e.branch_tag,
                      e.build_id, e.commit_hash, e.product_id, p.name AS product_name FROM engagements e JOIN products p ON p.id = e.product_id WHERE e.id = \(bind: id)
                    """).first()
            else { return nil }
            let product = try row.decode(column: "product_id", as: Int.self)
            let storedName = try text(row, "name")
            let name = storedName.isEmpty ? "Engagement \(id)" : storedName
            let testRows = try await db.raw("""
                SELECT id, title, scan_type, target_start FROM tests WHERE engagement_id = \(bind: id) ORDER BY id DESC LIMIT 200
                """).all()
            let tests = ListModel(title: "Tests", headers: ["Scan type", "Date"], rows: try testRows.map { row in
                let testID = try row.decode(column: "id", as: Int.self), scanType = try text(row, "scan_type"), title = try text(row, "title")
                return Row(id: testID, name: title.isEmpty ? (scanType.isEmpty ? "Test \(testID)" : scanType) : title,
                           columns: [scanType, (try row.decode(column: "target_start", as: Date?.self)).map(DateFormatting.day) ?? ""])
            }, linkPrefix: "/test", actions: [Action(label: "Import scan results", path: Links.importScan(engagement: id))])
            let canWrite = try await access.canWrite(.engagements, id: id)
            var actions = [Action(label: "Import scan results", path: Links.importScan(engagement: id))]
            if canWrite { actions.append(Action(label: "Edit", path: Links.editEngagement(id))) }
            return DetailModel(
                title: name,
                breadcrumbs: [Action(label: "Products", path: Links.products), Action(label: try text(row, "product_name"), path: Links.product(product)),
                              Action(label: name, path: Links.engagement(id))],
                facts: ["description", "status", "engagement_type", "target_start", "target_end", "version", "branch_tag", "build_id", "commit_hash"]
                    .map { Fact(label: $0.replacingOccurrences(of: "_", with: " ").capitalized, value: (try? text(row, $0)) ?? "") },
                severityCounts: try await severityCounts("findings.engagement_id = \(bind: id)"), findingsQuery: "engagement=\(id)&product=\(product)",
                children: [tests], actions: actions)
        }

        func test(_ id: Int) async throws -> DetailModel? {
            guard try await access.isVisible(.tests, id: id),
                  let row = try await db.raw("""
                    SELECT t.id, t.title, t.scan_type, t.description, t.version, t.branch_tag, t.build_id, t.commit_hash, t.target_start, t.engagement_id,
                      e.name AS engagement_name, e.product_id, p.name AS product_name
                    FROM tests t JOIN engagements e ON e.id = t.engagement_id JOIN products p ON p.id = e.product_id WHERE t.id = \(bind: id)
                    """).first()
            else { return nil }
            let engagement = try row.decode(column: "engagement_id", as: Int.self), product = try row.decode(column: "product_id", as: Int.self)
            let scanType = try text(row, "scan_type")
            let storedTitle = try text(row, "title")
            let name = storedTitle.isEmpty ? (scanType.isEmpty ? "Test \(id)" : scanType) : storedTitle
            let imports = try await ImportsQuery(db: db, user: user).latest(limit: 50, test: id)
            let history = ListModel(title: "Imports", headers: ["Date", "Kind", "New", "Closed", "Reactivated", "Untouched"], rows: imports.map { item in
                Row(id: id, name: "Import \(item.id)", columns: [item.date, item.kind, "\(item.created)", "\(item.closed)", "\(item.reactivated)", "\(item.untouched)"])
            }, linkPrefix: "/test", actions: [])
            let storedEngagement = try text(row, "engagement_name")
            let engagementName = storedEngagement.isEmpty ? "Engagement \(engagement)" : storedEngagement
            return DetailModel(
                title: name,
                breadcrumbs: [Action(label: "Products", path: Links.products), Action(label: try text(row, "product_name"), path: Links.product(product)),
                              Action(label: engagementName, path: Links.engagement(engagement)), Action(label: name, path: Links.test(id))],
                facts: [Fact(label: "Scan type", value: scanType), Fact(label: "Description", value: try text(row, "description")),
                        Fact(label: "Date", value: (try row.decode(column: "target_start", as: Date?.self)).map(DateFormatting.day) ?? ""),
                        Fact(label: "Version", value: try text(row, "version")), Fact(label: "Branch or tag", value: try text(row, "branch_tag")),
                        Fact(label: "Build id", value: try text(row, "build_id")), Fact(label: "Commit hash", value: try text(row, "commit_hash"))],
                severityCounts: try await severityCounts("findings.test_id = \(bind: id)"), findingsQuery: "test=\(id)",
                children: [history], actions: [Action(label: "Reimport scan results", path: Links.reimportScan(test: id))])
        }
    }
}
