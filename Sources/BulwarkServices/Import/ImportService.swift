import BulwarkCore
import BulwarkParsers
import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// What an import or reimport did, for the API's 201 body.
public struct ImportOutcome: Sendable {
    public var test: Int
    public var engagement: Int
    public var product: Int
    public var productType: Int
    /// `{"after": S}` for imports; `{"before": S, "delta": D, "after": S}` for reimports of an existing test.
    public var statistics: JSONValue
    public var created = 0, closed = 0, reactivated = 0, untouched = 0, duplicates = 0
    /// Matched findings whose status or fix fields changed (reimport only).
    public var updated = 0
}

/// A report parsed and prepared for storing, before any transaction (parsing is the slow, CPU-bound part).
struct ParsedReport {
    var descriptor: ParserDescriptor
    var result: ParseResult
    var prepared: [PreparedFinding]

    /// Finds the scan type's parser, parses the report and prepares its findings, with DefectDojo's errors.
    static func read(_ report: ScanInput?, options: ImportOptions, now: Date) throws(ImportError) -> ParsedReport {
        guard let descriptor = ParserRegistry.descriptor(for: ScanType(options.scanType)) else {
            throw ImportError.field("scan_type", "\"\(options.scanType)\" is not a valid choice.")
        }
        var result = ParseResult(findings: [])
        if let report {
            do { result = try ParserRegistry.parse(report, as: descriptor.scanType) } catch { throw ImportError.parse(error) }
        } else if descriptor.requiresFile {
            throw ImportError.field("non_field_errors", "Uploading a Report File is required for \(options.scanType)")
        }
        let prepared = FindingPreparation.prepare(result.findings, options: options, dedupe: descriptor.dedupe, now: now)
        return ParsedReport(descriptor: descriptor, result: result, prepared: prepared)
    }
}

/// `import-scan` and `reimport-scan` (the latter in ReimportService.swift). Import parses, then in one
/// transaction resolves (or creates) the context, creates the test, stores the findings, closes old
/// ones, dedupes and records history. A failure leaves nothing behind.
public struct ImportService: Sendable {
    public let database: any Database
    public let user: UserAccount
    public let now: Date

    public init(database: any Database, user: UserAccount, now: Date = Date()) {
        self.database = database
        self.user = user
        self.now = now
    }

    public func importScan(_ options: ImportOptions, report: ScanInput?) async throws -> ImportOutcome {
        let parsed = try ParsedReport.read(report, options: options, now: now)
        let user = self.user, now = self.now
        return try await transaction("import", options: options) { db in
            try await Self.importInto(db: db, options: options, descriptor: parsed.descriptor, result: parsed.result,
                                      prepared: parsed.prepared, user: user, now: now)
        }
    }

    /// The one transaction of every import and reimport: the target product's lock
    /// (``ImportSerialization``), the work, and its audit event.
    func transaction(_ action: String, options: ImportOptions,
                     _ work: @escaping @Sendable (any SQLDatabase) async throws -> ImportOutcome) async throws -> ImportOutcome {
        let user = self.user, now = self.now
        return try await WriteTransaction.run(on: database) { db in
            try await ImportSerialization.lockTarget(of: options, db: db)
            let outcome = try await work(db)
            try await Self.audit(outcome, action: action, scanType: options.scanType, user: user, now: now, db: db)
            return outcome
        }
    }

    /// One audit event per import or reimport, on its test, with the statistics (not one per finding).
    static func audit(_ outcome: ImportOutcome, action: String, scanType: String, user: UserAccount, now: Date, db: any SQLDatabase) async throws {
        let changes = JSONValue.object([
            ("scan_type", .string(scanType)), ("created", .int(outcome.created)), ("closed", .int(outcome.closed)),
            ("reactivated", .int(outcome.reactivated)), ("untouched", .int(outcome.untouched)), ("statistics", outcome.statistics),
        ])
        try await AuditLog.record(db: db, actor: user, action: action, objectType: "test", objectID: outcome.test, objectName: scanType,
                                  changes: changes, now: now)
    }

    /// The import steps on an open transaction (reimport uses them when it has to create the test).
    static func importInto(
        db: any SQLDatabase, options: ImportOptions, descriptor: ParserDescriptor, result: ParseResult, prepared: [PreparedFinding],
        user: UserAccount, now: Date
    ) async throws -> ImportOutcome {
        let resolver = ImportContextResolver(db: db, user: user, now: now)
        let context = try await resolver.resolveForImport(options)
        try await validateReferences(options, product: context.product, db: db)
        let testTypeName = result.testTypeName(for: descriptor.scanType)
        let testType = try await resolver.testType(named: testTypeName, scanType: options.scanType,
                                                   staticTool: result.isStaticTool ?? false, dynamicTool: result.isDynamicTool ?? false)
        let environment = try await resolver.environment(named: options.environment, create: options.autoCreateContext)
        let start = options.scanDate ?? now
        let test = try await BulkInsert(db: db).insert(
            into: "tests",
            columns: ["engagement_id", "test_type_id", "scan_type", "title", "description", "target_start", "target_end", "percent_complete",
                      "version", "build_id", "commit_hash", "branch_tag", "lead_id", "environment_id", "created", "updated"],
            rows: [[.int(context.engagement), .int(testType), .string(options.scanType), FindingWriter.text(options.testTitle),
                    FindingWriter.text(result.testDescription), .date(start), .date(start), .int(100), FindingWriter.text(options.version),
                    FindingWriter.text(options.buildID), FindingWriter.text(options.commitHash), FindingWriter.text(options.branchTag),
                    FindingWriter.number(options.lead), .int(environment), .date(now), .date(now)]])[0]
        if !options.tags.isEmpty { try await TagStore(db: db).add(objectType: "test", id: test, names: options.tags) }
        let destination = FindingDestination(
            test: test, engagement: context.engagement, product: context.product, testType: testType, user: user.id, now: now,
            extraTags: options.applyTagsToFindings ? options.tags : [], endpointToAdd: options.endpointToAdd)
        let ids = try await FindingWriter(db: db).insert(prepared, into: destination)
        var closed: [Int] = []
        if options.closeOldFindings {
            let open = prepared.filter { !$0.finding.isMitigated }
            closed = try await FindingClosing(db: db).oldFindingsToClose(
                context: context, productScope: options.closeOldFindingsProductScope, newTest: test, testType: testType,
                service: options.service, algorithm: descriptor.dedupe.algorithm,
                presentHashes: Set(open.map(\.hashCode)), presentUIDs: Set(open.compactMap(\.finding.uniqueIDFromTool)))
            try await FindingClosing(db: db).mitigate(closed, at: start, by: user.id, note: FindingClosing.importNote, now: now)
        }
        let duplicates = try await Deduplicator(db: db).run(Deduplicator.stored(prepared, ids: ids, destination: destination), test: test,
                                                            context: context, algorithm: descriptor.dedupe.algorithm, testType: testType)
        try await extendEngagement(context, scanDate: options.scanDate, db: db)
        if options.applyTagsToFindings { try await BulkTagging(db: db).add(options.tags, toFindings: closed, andEndpoints: false) }
        if options.applyTagsToEndpoints { try await BulkTagging(db: db).add(options.tags, toFindings: ids + closed, andEndpoints: true) }
        try await ImportHistory(db: db).record(
            test: test, type: "import", options: options, actions: ids.map { ($0, .created) } + closed.map { ($0, .closed) }, now: now)
        let after = try await ImportHistory(db: db).statistics(test: test)
        var outcome = ImportOutcome(test: test, engagement: context.engagement, product: context.product, productType: context.productType,
                                    statistics: .object([("after", after)]))
        outcome.created = ids.count
        outcome.closed = closed.count
        outcome.duplicates = duplicates
        return outcome
    }

    /// `lead`, `endpoint_to_add` (an endpoint of the import's product) and `api_scan_configuration` must name existing objects.
    static func validateReferences(_ options: ImportOptions, product: Int, db: any SQLDatabase) async throws {
        if let lead = options.lead, try await db.raw("SELECT id FROM users WHERE id = \(bind: lead)").first() == nil {
            throw ImportError.field("lead", "Invalid pk \"\(lead)\" - object does not exist.")
        }
        // Another product's endpoint is answered as if it did not exist.
        if let endpoint = options.endpointToAdd,
           try await db.raw("SELECT id FROM endpoints WHERE id = \(bind: endpoint) AND product_id = \(bind: product)").first() == nil {
            throw ImportError.field("endpoint_to_add", "Invalid pk \"\(endpoint)\" - object does not exist.")
        }
        if let configuration = options.apiScanConfiguration {
            // No API scan configurations exist yet in Bulwark, so any id is unknown.
            throw ImportError.field("api_scan_configuration", "Invalid pk \"\(configuration)\" - object does not exist.")
        }
    }

    /// CI/CD engagements end no earlier than the latest scan date.
    static func extendEngagement(_ context: ImportContext, scanDate: Date?, db: any SQLDatabase) async throws {
        guard context.engagementIsCICD, let scanDate else { return }
        let day = DateFormatting.day(scanDate)
        try await db.raw("UPDATE engagements SET target_end = \(bind: day) WHERE id = \(bind: context.engagement) AND target_end < \(bind: day)").run()
    }
}
