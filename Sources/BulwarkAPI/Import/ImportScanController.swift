import BulwarkCore
import BulwarkParsers
import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import Vapor

/// `POST /api/v2/import-scan/` and `POST /api/v2/reimport-scan/` (multipart only).
public struct ImportScanController: Sendable {
    public let maxUploadBytes: Int
    public init(maxUploadBytes: Int) { self.maxUploadBytes = maxUploadBytes }

    public func register(on routes: any RoutesBuilder) {
        routes.on(.POST, "import-scan", body: .stream) { try await handle($0, reimport: false) }
            .documented(ImportResponse.operation(reimport: false))
        routes.on(.POST, "reimport-scan", body: .stream) { try await handle($0, reimport: true) }
            .documented(ImportResponse.operation(reimport: true))
        MethodFallback.register(on: routes, path: ["import-scan"], allowed: [.POST])
        MethodFallback.register(on: routes, path: ["reimport-scan"], allowed: [.POST])
    }

    func handle(_ request: Request, reimport: Bool) async throws -> Response {
        let user = try request.requireUser()
        let settings = try request.settings
        let now = settings.now()
        let upload = try await MultipartUpload.read(request, maxBytes: maxUploadBytes)
        defer { upload.cleanUp() }
        let options: ImportOptions
        switch ImportOptions.parse(upload.fields, reimport: reimport, today: now) {
        case .success(let parsed): options = parsed
        case .failure(let errors): throw APIError.validation(errors)
        }
        let report = upload.fileURL.map { ScanInput(fileURL: $0, filename: upload.fileName) }
        let outcome: ImportOutcome
        do {
            outcome = reimport
                ? try await ImportService(database: request.db, user: user, now: now).reimportScan(options, report: report)
                : try await ImportService(database: request.db, user: user, now: now).importScan(options, report: report)
        } catch let error as ImportError {
            throw Self.apiError(error)
        }
        request.logger.info("scan imported", metadata: [
            "scan_type": "\(options.scanType)", "test_id": "\(outcome.test)", "created": "\(outcome.created)", "closed": "\(outcome.closed)",
            "reactivated": "\(outcome.reactivated)", "untouched": "\(outcome.untouched)", "duplicates": "\(outcome.duplicates)",
        ])
        return ImportResponse.body(options: options, outcome: outcome, reimport: reimport).response(status: .created)
    }

    /// DefectDojo's shapes for importer failures.
    public static func apiError(_ error: ImportError) -> APIError {
        switch error {
        case .field(let name, let message): return .field(name, message)
        case .message(let message): return .message(.badRequest, message)
        case .notFound(let message):
            return APIError(status: .notFound, body: .object([("detail", .string(message)), ("message", .string(message))]))
        case .forbidden: return .permissionDenied
        case .parse(let parseError): return .message(.badRequest, parseError.description)
        }
    }
}

/// The 201 body: the validated input echoed in DefectDojo's order, plus the result ids and statistics.
public enum ImportResponse {
    public static func body(options: ImportOptions, outcome: ImportOutcome, reimport: Bool) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        func day(_ value: Date?) -> JSONValue { value.map { .string(DateFormatting.day($0)) } ?? .null }
        var pairs: [(String, JSONValue)] = [
            ("scan_date", day(options.scanDate)), ("minimum_severity", .string(options.minimumSeverity.rawValue)),
            ("active", options.active.map(JSONValue.bool) ?? .null), ("verified", options.verified.map(JSONValue.bool) ?? .null),
            ("endpoint_to_add", number(options.endpointToAdd)), ("product_type_name", text(options.productTypeName)),
            ("product_name", text(options.productName)), ("engagement_name", text(options.engagementName)),
            ("engagement_end_date", day(options.engagementEndDate)), ("source_code_management_uri", text(options.sourceCodeManagementURI)),
            ("test_title", text(options.testTitle)), ("auto_create_context", .bool(options.autoCreateContext)),
            ("deduplication_on_engagement", .bool(options.deduplicationOnEngagement)), ("lead", number(options.lead)),
            ("push_to_jira", .bool(options.pushToJira)), ("environment", .string(options.environment)), ("build_id", text(options.buildID)),
            ("branch_tag", text(options.branchTag)), ("commit_hash", text(options.commitHash)),
            ("api_scan_configuration", number(options.apiScanConfiguration)), ("service", text(options.service)), ("group_by", text(options.groupBy)),
            ("create_finding_groups_for_all_findings", .bool(options.createFindingGroupsForAllFindings)),
            ("apply_tags_to_findings", .bool(options.applyTagsToFindings)), ("apply_tags_to_endpoints", .bool(options.applyTagsToEndpoints)),
            ("scan_type", .string(options.scanType)),
        ]
        if reimport {
            pairs.append(("do_not_reactivate", .bool(options.doNotReactivate)))
        } else {
            pairs.append(("engagement", .int(outcome.engagement)))
        }
        pairs += [
            ("tags", .array(options.tags.map(JSONValue.string))), ("close_old_findings", .bool(options.closeOldFindings)),
            ("close_old_findings_product_scope", .bool(options.closeOldFindingsProductScope)), ("version", text(options.version)),
            ("test", .int(outcome.test)), ("test_id", .int(outcome.test)), ("engagement_id", .int(outcome.engagement)),
            ("product_id", .int(outcome.product)), ("product_type_id", .int(outcome.productType)), ("statistics", outcome.statistics),
        ]
        return .object(pairs)
    }
}
