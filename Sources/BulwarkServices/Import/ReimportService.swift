import BulwarkCore
import BulwarkParsers
import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// `reimport-scan` (import-semantics §3.2 and §3.5): match the report against the test's findings,
/// create what is new, reopen what came back, close what is gone, leave the rest untouched.
/// Reimporting an identical report changes nothing and closes nothing.
extension ImportService {
    public func reimportScan(_ options: ImportOptions, report: ScanInput?) async throws -> ImportOutcome {
        let parsed = try ParsedReport.read(report, options: options, now: now)
        let (descriptor, result, prepared) = (parsed.descriptor, parsed.result, parsed.prepared)
        let user = self.user, now = self.now
        return try await transaction("reimport", options: options) { db in
            try await Self.reimportOrImport(db: db, options: options, descriptor: descriptor, result: result, prepared: prepared, user: user, now: now)
        }
    }

    /// Reimports into the test the options name; without one, imports into a new test when
    /// `auto_create_context` allows it (then closing nothing, §3.2).
    static func reimportOrImport(
        db: any SQLDatabase, options: ImportOptions, descriptor: ParserDescriptor, result: ParseResult, prepared: [PreparedFinding],
        user: UserAccount, now: Date
    ) async throws -> ImportOutcome {
        guard let context = try await ImportContextResolver(db: db, user: user, now: now).resolveForReimport(options), let test = context.test else {
            guard options.autoCreateContext else { throw ImportError.notFound("A test could not be found!") }
            var fallback = options
            fallback.closeOldFindings = false
            return try await importInto(db: db, options: fallback, descriptor: descriptor, result: result, prepared: prepared, user: user, now: now)
        }
        // Formats that name their tool must name the same tool as the test (§3.2.3).
        if descriptor.namesToolInReport {
            let expected = result.testTypeName(for: descriptor.scanType)
            let row = try await db.raw("SELECT tt.name FROM tests t JOIN test_types tt ON tt.id = t.test_type_id WHERE t.id = \(bind: test)").first()
            let actual = try row?.decode(column: "name", as: String.self)
            if let actual, actual != expected {
                throw ImportError.message("Test type mismatch: the test is of type \(actual) but the report is \(expected)")
            }
        }
        return try await reimport(into: test, context: context, db: db, options: options, descriptor: descriptor, prepared: prepared,
                                  user: user, now: now)
    }

    static func reimport(
        into test: Int, context: ImportContext, db: any SQLDatabase, options: ImportOptions, descriptor: ParserDescriptor,
        prepared: [PreparedFinding], user: UserAccount, now: Date
    ) async throws -> ImportOutcome {
        try await ImportService.validateReferences(options, product: context.product, db: db)
        let history = ImportHistory(db: db)
        let before = try await history.statistics(test: test)
        guard let testRow = try await db.raw("SELECT test_type_id FROM tests WHERE id = \(bind: test)").first() else {
            throw ImportError.notFound("A test could not be found!")
        }
        let testType = try testRow.decode(column: "test_type_id", as: Int.self)
        let existing = try await existingFindings(test: test, service: options.service, db: db)
        let plan = ReimportMatcher.plan(existing: existing, incoming: prepared, algorithm: descriptor.dedupe.algorithm, doNotReactivate: options.doNotReactivate)
        let scanType = options.scanType

        // New findings.
        let destination = FindingDestination(
            test: test, engagement: context.engagement, product: context.product, testType: testType, user: user.id, now: now,
            extraTags: options.applyTagsToFindings ? options.tags : [], endpointToAdd: options.endpointToAdd)
        let creating = plan.create.map { prepared[$0] }
        let created = try await FindingWriter(db: db).insert(creating, into: destination)

        // Reopened findings.
        let reopened = plan.reactivate.map(\.existing)
        if !reopened.isEmpty {
            let restartSLA = try await restartsSLAOnReactivation(product: context.product, db: db)
            var assignments: SQLQueryString = """
                mitigated = NULL, is_mitigated = \(bind: false), mitigated_by_id = NULL, active = \(bind: true), last_status_update = \(bind: now), updated = \(bind: now)
                """
            if let verified = options.verified { assignments = assignments + ", verified = \(bind: verified)" }
            if restartSLA { assignments = assignments + ", sla_start_date = \(bind: DateFormatting.day(now))" }
            for chunk in reopened.chunked(500) {
                try await db.raw("UPDATE findings SET " + assignments + " WHERE id IN (\(binds: chunk))").run()
                try await db.raw("UPDATE endpoint_status SET mitigated = \(bind: false), mitigated_time = NULL, last_modified = \(bind: now) WHERE finding_id IN (\(binds: chunk))").run()
            }
            try await BulkNotes(db: db).add(entry: "Re-activated by \(scanType) re-upload.", toFindings: reopened, author: user.id, now: now)
        }
        // Findings the report itself marks mitigated, or false positive / out of scope / risk accepted.
        // The `verified` override applies to every matched finding whose status changes.
        let verifiedOverride: SQLQueryString = options.verified.map { ", verified = \(bind: $0)" } ?? ""
        for pair in plan.closeAsReported {
            let mitigated = prepared[pair.incoming].mitigated ?? options.scanDate ?? now
            try await db.raw("""
                UPDATE findings SET active = \(bind: false), is_mitigated = \(bind: true), mitigated = \(bind: mitigated), mitigated_by_id = \(bind: user.id),
                  last_status_update = \(bind: now)
                """ + verifiedOverride + " WHERE id = \(bind: pair.existing)").run()
        }
        for pair in plan.copyStatus {
            let n = prepared[pair.incoming].finding
            try await db.raw("""
                UPDATE findings SET risk_accepted = \(bind: n.riskAccepted), false_p = \(bind: n.falsePositive), out_of_scope = \(bind: n.outOfScope),
                  active = \(bind: false), last_status_update = \(bind: now)
                """ + verifiedOverride + " WHERE id = \(bind: pair.existing)").run()
        }
        try await syncEndpoints(plan.matched, prepared: prepared, product: context.product, closing: Set(plan.closeAsReported.map(\.existing)),
                                now: now, db: db)
        try await refresh(plan.refresh, prepared: prepared, db: db)
        try await skipReactivationNotes(plan.skippedReactivation, scanType: scanType, user: user.id, now: now, db: db)
        try await replaceVulnerabilityIDs(plan.matched, prepared: prepared, db: db)

        // Findings gone from the report.
        var closed: [Int] = []
        if options.closeOldFindings && !plan.toMitigate.isEmpty {
            for chunk in plan.toMitigate.chunked(500) {
                let rows = try await db.raw("""
                    SELECT id FROM findings WHERE id IN (\(binds: chunk)) AND NOT (is_mitigated = \(bind: true) AND mitigated IS NOT NULL)
                    """).all()
                closed += try rows.map { try $0.decode(column: "id", as: Int.self) }
            }
            let testTypeName = try await db.raw("SELECT name FROM test_types WHERE id = \(bind: testType)").first()?.decode(column: "name", as: String.self) ?? scanType
            try await FindingClosing(db: db).mitigate(closed, at: options.scanDate ?? now, by: user.id, note: "Mitigated by \(testTypeName) re-upload.", now: now)
        }
        let duplicates = try await Deduplicator(db: db).run(Deduplicator.stored(creating, ids: created, destination: destination), test: test,
                                                            context: context, algorithm: descriptor.dedupe.algorithm, testType: testType)
        try await updateTest(test, options: options, now: now, db: db)
        try await ImportService.extendEngagement(context, scanDate: options.scanDate, db: db)
        let actions: [(Int, ImportAction)] = created.map { ($0, .created) } + closed.map { ($0, .closed) }
            + reopened.map { ($0, .reactivated) } + plan.untouched.map { ($0, .untouched) }
        // Tags go on every affected finding (new ones already have them) and, when asked, their endpoints.
        if options.applyTagsToFindings || options.applyTagsToEndpoints {
            let affected = options.applyTagsToFindings ? closed + reopened + plan.untouched : []
            try await BulkTagging(db: db).add(options.tags, toFindings: affected, andEndpoints: false)
            if options.applyTagsToEndpoints {
                try await BulkTagging(db: db).add(options.tags, toFindings: actions.map(\.0), andEndpoints: true)
            }
        }
        let importID = try await history.record(test: test, type: "reimport", options: options, actions: actions, now: now)
        let statistics = JSONValue.object([
            ("before", before), ("delta", try await history.delta(testImport: importID)), ("after", try await history.statistics(test: test)),
        ])
        var outcome = ImportOutcome(test: test, engagement: context.engagement, product: context.product, productType: context.productType, statistics: statistics)
        outcome.created = created.count
        outcome.closed = closed.count
        outcome.reactivated = reopened.count
        outcome.untouched = plan.untouched.count
        outcome.updated = plan.closeAsReported.count + plan.copyStatus.count + plan.refresh.count
        outcome.duplicates = duplicates
        return outcome
    }

    /// Matched dynamic findings follow the report's endpoints (§3.5.4): endpoints no longer listed are
    /// mitigated, listed ones reopened (unless the finding is being closed), new ones linked.
    static func syncEndpoints(_ pairs: [ReimportPlan.Pair], prepared: [PreparedFinding], product: Int, closing: Set<Int>, now: Date,
                              db: any SQLDatabase) async throws {
        let dynamic = pairs.filter { prepared[$0.incoming].finding.dynamicFinding }
        guard !dynamic.isEmpty else { return }
        var catalog = try await EndpointCatalog.load(db: db, product: product)
        try await catalog.ensure(dynamic.flatMap { prepared[$0.incoming].finding.endpoints })
        var current: [Int: [(id: Int, endpoint: Int, mitigated: Bool)]] = [:]
        for chunk in dynamic.map(\.existing).chunked(500) {
            for row in try await db.rows("SELECT id, finding_id, endpoint_id, mitigated FROM endpoint_status WHERE finding_id IN (\(binds: chunk))") {
                current[try row.int("finding_id") ?? 0, default: []].append(
                    (try row.int("id") ?? 0, try row.int("endpoint_id") ?? 0, try row.bool("mitigated") ?? false))
            }
        }
        var mitigate: [Int] = [], reopen: [Int] = [], add: [[SQLBindValue]] = []
        let today = DateFormatting.day(now)
        for pair in dynamic {
            let wanted = Set(prepared[pair.incoming].finding.endpoints.compactMap { catalog.id(of: $0) })
            let statuses = current[pair.existing] ?? []
            for status in statuses {
                if !wanted.contains(status.endpoint), !status.mitigated { mitigate.append(status.id) }
                if wanted.contains(status.endpoint), status.mitigated, !closing.contains(pair.existing) { reopen.append(status.id) }
            }
            let linked = Set(statuses.map(\.endpoint))
            for endpoint in wanted.subtracting(linked).sorted() {
                add.append(FindingWriter.statusRow(finding: pair.existing, endpoint: endpoint, day: today, now: now, mitigated: false))
            }
        }
        for chunk in mitigate.chunked(500) {
            try await db.raw("""
                UPDATE endpoint_status SET mitigated = \(bind: true), mitigated_time = \(bind: now), last_modified = \(bind: now) WHERE id IN (\(binds: chunk))
                """).run()
        }
        for chunk in reopen.chunked(500) {
            try await db.raw("""
                UPDATE endpoint_status SET mitigated = \(bind: false), mitigated_time = NULL, last_modified = \(bind: now) WHERE id IN (\(binds: chunk))
                """).run()
        }
        try await FindingWriter.insertStatuses(add, db: db)
    }

    /// The test's findings in scope: those of the given service, or without a service when none is given.
    static func existingFindings(test: Int, service: String?, db: any SQLDatabase) async throws -> [ExistingFinding] {
        let serviceCondition: SQLQueryString = service.map { "service = \(bind: $0)" } ?? "(service IS NULL OR service = '')"
        let rows = try await db.rows("""
            SELECT id, hash_code, unique_id_from_tool, title, severity, active, is_mitigated, mitigated, false_p, out_of_scope, risk_accepted,
              fix_available, fix_version, component_name, component_version
            FROM findings WHERE test_id = \(bind: test) AND \(serviceCondition) ORDER BY id
            """)
        return try rows.map { row in
            ExistingFinding(
                id: try row.int("id") ?? 0, hashCode: try row.string("hash_code"), uniqueID: try row.string("unique_id_from_tool"),
                title: try row.string("title") ?? "", severity: try row.string("severity") ?? "", active: try row.bool("active") ?? false,
                isMitigated: try row.bool("is_mitigated") ?? false, hasMitigatedDate: try row.date("mitigated") != nil,
                falsePositive: try row.bool("false_p") ?? false, outOfScope: try row.bool("out_of_scope") ?? false,
                riskAccepted: try row.bool("risk_accepted") ?? false, fixAvailable: try row.bool("fix_available"),
                fixVersion: try row.string("fix_version"), componentName: try row.string("component_name"),
                componentVersion: try row.string("component_version"))
        }
    }

    static func restartsSLAOnReactivation(product: Int, db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw("""
            SELECT s.restart_sla_on_reactivation FROM products p JOIN sla_configurations s ON s.id = p.sla_configuration_id WHERE p.id = \(bind: product)
            """).first()
        return try row?.decode(column: "restart_sla_on_reactivation", as: Bool.self) ?? false
    }

    /// Copies `fix_available`/`fix_version` and fills empty component fields from the report.
    static func refresh(_ pairs: [ReimportPlan.Pair], prepared: [PreparedFinding], db: any SQLDatabase) async throws {
        for pair in pairs {
            let n = prepared[pair.incoming].finding
            try await db.raw("""
                UPDATE findings SET fix_available = \((n.fixAvailable.map(SQLBindValue.bool) ?? .null).sql), fix_version = \(FindingWriter.text(n.fixVersion).sql),
                  component_name = COALESCE(component_name, \(FindingWriter.text(n.componentName).sql)),
                  component_version = COALESCE(component_version, \(FindingWriter.text(n.componentVersion).sql))
                WHERE id = \(bind: pair.existing)
                """).run()
        }
    }

    static func skipReactivationNotes(_ ids: [Int], scanType: String, user: Int, now: Date, db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let entry = "Finding has skipped reactivation from \(scanType) re-upload with user decision do_not_reactivate."
        var noted = Set<Int>()
        for chunk in ids.chunked(500) {
            let rows = try await db.raw("""
                SELECT l.object_id FROM note_links l JOIN notes n ON n.id = l.note_id
                WHERE l.object_type = 'finding' AND l.object_id IN (\(binds: chunk)) AND n.entry = \(bind: entry)
                """).all()
            for row in rows { noted.insert(try row.decode(column: "object_id", as: Int.self)) }
        }
        try await BulkNotes(db: db).add(entry: entry, toFindings: ids.filter { !noted.contains($0) }, author: user, now: now)
    }

    /// Matched findings take the report's vulnerability ids when the set differs.
    static func replaceVulnerabilityIDs(_ pairs: [ReimportPlan.Pair], prepared: [PreparedFinding], db: any SQLDatabase) async throws {
        guard !pairs.isEmpty else { return }
        var current: [Int: [String]] = [:]
        for chunk in pairs.map(\.existing).chunked(500) {
            let rows = try await db.raw("SELECT finding_id, vulnerability_id FROM vulnerability_ids WHERE finding_id IN (\(binds: chunk)) ORDER BY id").all()
            for row in rows { current[try row.decode(column: "finding_id", as: Int.self), default: []].append(try row.decode(column: "vulnerability_id", as: String.self)) }
        }
        for pair in pairs {
            let wanted = prepared[pair.incoming].finding.vulnerabilityIDs
            guard Set(wanted) != Set(current[pair.existing] ?? []) else { continue }
            try await FindingRelationWrites.replaceVulnerabilityIDs(finding: pair.existing, with: wanted, db: db)
        }
    }

    /// Test metadata: non-blank version/branch/build/commit overwrite, tags replaced when given, end date extended.
    static func updateTest(_ test: Int, options: ImportOptions, now: Date, db: any SQLDatabase) async throws {
        var assignments: [SQLQueryString] = ["updated = \(bind: now)", "percent_complete = 100"]
        for (column, value) in [("version", options.version), ("branch_tag", options.branchTag), ("build_id", options.buildID), ("commit_hash", options.commitHash)] {
            if let value { assignments.append("\(ident: column) = \(bind: value)") }
        }
        if let scanDate = options.scanDate {
            assignments.append("target_end = CASE WHEN target_end < \(bind: scanDate) THEN \(bind: scanDate) ELSE target_end END")
        }
        try await db.raw("UPDATE tests SET " + assignments.joined(separator: ", ") + " WHERE id = \(bind: test)").run()
        if !options.tags.isEmpty { try await TagStore(db: db).replace(objectType: "test", id: test, with: options.tags) }
    }
}
