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
