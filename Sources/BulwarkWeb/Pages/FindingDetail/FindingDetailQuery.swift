import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

extension FindingDetail {
    /// Reads one finding and what hangs off it; nil when the user may not see it.
    struct Query: Sendable {
        var db: any SQLDatabase
        var user: UserAccount
        var now: Date

        enum Kind { case text, number, decimal, flag, instant }

        /// The stored fields shown in the facts list, in DefectDojo's order.
        static let shownFields: [(String, String, Kind)] = [
            ("ID", "id", .number), ("Date", "date", .text), ("SLA start", "sla_start_date", .text), ("CWE", "cwe", .number),
            ("Vulnerability id", "cve", .text), ("EPSS score", "epss_score", .decimal), ("EPSS percentile", "epss_percentile", .decimal),
            ("Known exploited", "known_exploited", .flag), ("CVSS v3", "cvssv3", .text), ("CVSS v3 score", "cvssv3_score", .decimal),
            ("CVSS v4", "cvssv4", .text), ("URL", "url", .text), ("Numerical severity", "numerical_severity", .text),
            ("Active", "active", .flag), ("Verified", "verified", .flag), ("False positive", "false_p", .flag), ("Duplicate", "duplicate", .flag),
            ("Out of scope", "out_of_scope", .flag), ("Risk accepted", "risk_accepted", .flag), ("Under review", "under_review", .flag),
            ("Mitigated", "is_mitigated", .flag), ("Mitigated at", "mitigated", .instant), ("Last status update", "last_status_update", .instant),
            ("Component", "component_name", .text), ("Component version", "component_version", .text), ("File path", "file_path", .text),
            ("Line", "line", .number), ("Parameter", "param", .text), ("Payload", "payload", .text), ("Service", "service", .text),
            ("Static finding", "static_finding", .flag), ("Dynamic finding", "dynamic_finding", .flag), ("Unique id from tool", "unique_id_from_tool", .text),
            ("Vuln id from tool", "vuln_id_from_tool", .text), ("Hash code", "hash_code", .text), ("Occurrences", "nb_occurences", .number),
            ("Fix available", "fix_available", .flag), ("Fix version", "fix_version", .text), ("Publish date", "publish_date", .text),
            ("Planned remediation date", "planned_remediation_date", .text), ("Effort for fixing", "effort_for_fixing", .text),
            ("Severity justification", "severity_justification", .text), ("Steps to reproduce", "steps_to_reproduce", .text),
            ("Created", "created", .instant), ("Updated", "updated", .instant),
        ]

        static func format(_ row: any SQLRow, _ column: String, _ kind: Kind) throws -> String {
            switch kind {
            case .text: return try row.decode(column: column, as: String?.self) ?? ""
            case .number: return try row.decode(column: column, as: Int?.self).map(String.init) ?? ""
            case .decimal: return try row.decode(column: column, as: Double?.self).map { String($0) } ?? ""
            case .flag: return try row.decode(column: column, as: Bool?.self).map { $0 ? "Yes" : "No" } ?? ""
            case .instant: return try row.decode(column: column, as: Date?.self).map(DateFormatting.instant) ?? ""
            }
        }

        func model(id: Int, csrfToken: String) async throws -> Model? {
            let access = AccessPolicy(user: user, db: db)
            guard try await access.isVisible(.findings, id: id) else { return nil }
            let columns = Self.shownFields.map { $0.1 } + ["title", "severity", "description", "mitigation", "impact", "references", "test_id",
                                                       "engagement_id", "product_id", "mitigated", "duplicate_finding_id"]
            var seen = Set<String>()
            let unique = columns.filter { seen.insert($0).inserted }
            guard let row = try await db.raw("SELECT \(idents: unique, joinedBy: ", ") FROM \(ident: "findings") WHERE \(ident: "id") = \(bind: id)").first()
            else { return nil }
            let flags = try FindingFlagsRow.flags(row)
            let product = try row.decode(column: "product_id", as: Int.self), engagement = try row.decode(column: "engagement_id", as: Int.self)
            let test = try row.decode(column: "test_id", as: Int.self)
            let names = try await contextNames(product: product, engagement: engagement, test: test)
            var model = Model(
                id: id, title: try row.decode(column: "title", as: String.self), severity: try row.decode(column: "severity", as: String.self),
                status: FindingStatus.displayStatus(flags), flags: flags,
                product: (product, names.product), engagement: (engagement, names.engagement), test: (test, names.test),
                fields: try Self.shownFields.map { ($0.0, try Self.format(row, $0.1, $0.2)) },
                description: try row.decode(column: "description", as: String.self),
                mitigation: try row.decode(column: "mitigation", as: String?.self) ?? "",
                impact: try row.decode(column: "impact", as: String?.self) ?? "",
                references: try row.decode(column: "references", as: String?.self) ?? "",
                endpoints: try await endpoints(id), notes: try await notes(id), history: try await history(id),
                tags: try await TagStore(db: db).tagsByObject(objectType: "finding", ids: [id])[id] ?? [],
                duplicates: try await duplicates(id, original: try row.decode(column: "duplicate_finding_id", as: Int?.self)),
                canWrite: try await access.canWrite(.findings, id: id), csrfToken: csrfToken)
            model.changes = try await changes(id)
            return model
        }

        /// The finding's audit events, newest first (the last 50).
        func changes(_ id: Int) async throws -> [ChangeEntry] {
            try await AuditLog.events(AuditQuery(objectType: "finding", objectID: id, limit: 50), db: db).events.map { event in
                let summary: [String] = event.changes.keys.map { field in
                    let change = event.changes[field]
                    func text(_ value: JSONValue?) -> String {
                        switch value {
                        case .string(let s)?: return s.count > 60 ? String(s.prefix(60)) + "…" : s
                        case .bool(let b)?: return b ? "yes" : "no"
                        case .int(let i)?: return String(i)
                        case .null?, nil: return "—"
                        case let other?: return String(other.serializedString().prefix(60))
                        }
                    }
                    return "\(field): \(text(change?["before"])) → \(text(change?["after"]))"
                }
                return ChangeEntry(date: DateFormatting.instant(event.created), actor: event.actorName, action: event.action, summary: summary)
            }
        }

        func contextNames(product: Int, engagement: Int, test: Int) async throws -> (product: String, engagement: String, test: String) {
            guard let row = try await db.raw("""
                SELECT p.name AS product, e.name AS engagement, t.title AS test, t.scan_type AS scan_type FROM tests t
                JOIN engagements e ON e.id = t.engagement_id JOIN products p ON p.id = e.product_id WHERE t.id = \(bind: test)
                """).first()
            else { return ("Product \(product)", "Engagement \(engagement)", "Test \(test)") }
            func text(_ column: String) throws -> String { try row.decode(column: column, as: String?.self) ?? "" }
            let engagementName = try text("engagement"), title = try text("test"), scanType = try text("scan_type")
            return (try text("product"), engagementName.isEmpty ? "Engagement \(engagement)" : engagementName,
                    !title.isEmpty ? title : !scanType.isEmpty ? scanType : "Test \(test)")
        }

        func endpoints(_ id: Int) async throws -> [Endpoint] {
            let rows = try await db.raw("""
                SELECT e.protocol, e.host, e.port, e.path, e.query, es.mitigated FROM endpoint_status es JOIN endpoints e ON e.id = es.endpoint_id
                WHERE es.finding_id = \(bind: id) ORDER BY e.id LIMIT 200
                """).all()
            return try rows.map { row in
                var url = ""
                if let scheme = try row.decode(column: "protocol", as: String?.self), !scheme.isEmpty { url += scheme + "://" }
                url += try row.decode(column: "host", as: String?.self) ?? ""
                if let port = try row.decode(column: "port", as: Int?.self) { url += ":\(port)" }
                if let path = try row.decode(column: "path", as: String?.self), !path.isEmpty { url += path.hasPrefix("/") ? path : "/" + path }
                if let query = try row.decode(column: "query", as: String?.self), !query.isEmpty { url += "?" + query }
                return Endpoint(url: url, mitigated: try row.decode(column: "mitigated", as: Bool.self))
            }
        }

        func notes(_ id: Int) async throws -> [Note] {
            let rows = try await db.raw("""
                SELECT n.id, n.entry, n.date, n.private, u.username FROM notes n JOIN note_links l ON l.note_id = n.id
                LEFT JOIN users u ON u.id = n.author_id
                WHERE l.object_type = 'finding' AND l.object_id = \(bind: id) ORDER BY n.date DESC, n.id DESC
                """).all()
            return try rows.map { row in
                Note(id: try row.decode(column: "id", as: Int.self), author: try row.decode(column: "username", as: String?.self) ?? "",
                     date: DateFormatting.instant(try row.decode(column: "date", as: Date.self)), entry: try row.decode(column: "entry", as: String.self),
                     isPrivate: try row.decode(column: "private", as: Bool.self))
            }
        }

        func history(_ id: Int) async throws -> [HistoryEntry] {
            let rows = try await db.raw("""
                SELECT a.action, ti.type, ti.created, ti.test_id FROM test_import_finding_actions a JOIN test_imports ti ON ti.id = a.test_import_id
                WHERE a.finding_id = \(bind: id) ORDER BY ti.id DESC LIMIT 100
                """).all()
            return try rows.map { row in
                let action = try row.decode(column: "action", as: String.self)
                let label: String
                switch ImportAction(rawValue: action) {
                case .created: label = "Created"
                case .closed: label = "Closed"
                case .reactivated: label = "Reactivated"
                case .untouched: label = "Untouched"
                case nil: label = action
                }
                return HistoryEntry(date: (try row.decode(column: "created", as: Date?.self)).map(DateFormatting.instant) ?? "",
                                    kind: try row.decode(column: "type", as: String.self), action: label,
                                    test: try row.decode(column: "test_id", as: Int.self))
            }
        }

        func duplicates(_ id: Int, original: Int?) async throws -> [Related] {
            let root = original ?? id
            var conditions: [SQLQueryString] = ["(findings.duplicate_finding_id = \(bind: root) OR findings.id = \(bind: root)) AND findings.id <> \(bind: id)"]
            conditions += ProductPath.findings.visibility(user)
            let rows = try await db.raw("""
                SELECT id, title, active, verified, false_p, duplicate, out_of_scope, risk_accepted, is_mitigated, mitigated, under_review FROM findings WHERE
                """ + conditions.joinedAsConditions() + " ORDER BY id LIMIT 100").all()
            return try rows.map { row in
                let rowID = try row.decode(column: "id", as: Int.self)
                return Related(id: rowID, title: try row.decode(column: "title", as: String.self),
                               status: FindingStatus.displayStatus(try FindingFlagsRow.flags(row)), isOriginal: rowID == root)
            }
        }
    }
}
