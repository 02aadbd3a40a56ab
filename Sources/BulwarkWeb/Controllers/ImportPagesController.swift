import BulwarkCore
import BulwarkParsers
import BulwarkServices
import Fluent
import BulwarkStorage
import Foundation
import Plot
import SQLKit
import Vapor

/// The import form on an engagement and the reimport form on a test. Both go through the same
/// ``ImportService`` as `/api/v2/import-scan/`; a wrong file shows the parser's message beside the form.
struct ImportPagesController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("engagement", ":id", "import_scan_results") { try await form($0, reimport: false) }
        app.on(.POST, "engagement", ":id", "import_scan_results", body: .stream) { try await submit($0, reimport: false) }
        app.get("test", ":id", "re_import_scan_results") { try await form($0, reimport: true) }
        app.on(.POST, "test", ":id", "re_import_scan_results", body: .stream) { try await submit($0, reimport: true) }
        app.get("imports", use: history)
    }

    static var scanTypes: [String] { ParserRegistry.descriptors.map(\.scanType.rawValue) }

    /// The engagement or test the form is for, after the access check.
    func target(_ context: WebContext, id: Int, reimport: Bool) async throws -> ImportPage.Target {
        if reimport {
            try await context.access.require(.tests, id: id, write: true)
            guard let row = try await context.db.raw("""
                SELECT t.title, t.scan_type, t.engagement_id, p.name AS product FROM tests t JOIN engagements e ON e.id = t.engagement_id
                JOIN products p ON p.id = e.product_id WHERE t.id = \(bind: id)
                """).first() else { throw AccessError.notFound }
            let scanType = try row.decode(column: "scan_type", as: String?.self) ?? ""
            let title = (try row.decode(column: "title", as: String?.self)).flatMap { $0.isEmpty ? nil : $0 } ?? (scanType.isEmpty ? "Test \(id)" : scanType)
            return .test(id: id, title: title, scanType: scanType, engagement: try row.decode(column: "engagement_id", as: Int.self),
                         productName: try row.decode(column: "product", as: String.self))
        }
        try await context.access.require(.engagements, id: id, write: true)
        guard let row = try await context.db.raw("""
            SELECT e.name, e.product_id, p.name AS product FROM engagements e JOIN products p ON p.id = e.product_id WHERE e.id = \(bind: id)
            """).first() else { throw AccessError.notFound }
        return .engagement(id: id, name: (try row.decode(column: "name", as: String?.self)).flatMap { $0.isEmpty ? nil : $0 } ?? "Engagement \(id)",
                           product: try row.decode(column: "product_id", as: Int.self), productName: try row.decode(column: "product", as: String.self))
    }

    func form(_ request: Request, reimport: Bool) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let target = try await target(context, id: try WebHandler.id(request), reimport: reimport)
            let model = ImportPage.Model(target: target, scanTypes: Self.scanTypes, values: FormData(), errors: [:], csrfToken: context.csrfToken)
            return WebHandler.page(context, request: request, section: .imports, title: reimport ? "Reimport scan" : "Import scan",
                                   content: ImportPage.View.form(model))
        }
    }

    func submit(_ request: Request, reimport: Bool) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let id = try WebHandler.id(request)
            let upload: WebUpload
            do {
                upload = try await WebUpload.read(request, maxBytes: settings.maxUploadBytes)
            } catch let refused as WebUpload.Refused {
                let target = try await target(context, id: id, reimport: reimport)
                return page(context, request, target: target, values: FormData(), errors: ["file": [refused.message]], reimport: reimport)
            }
            defer { upload.cleanUp() }
            try FormCSRF.verify(request, form: upload.fields)
            let target = try await target(context, id: id, reimport: reimport)
            var fields: [String: [String]] = [:]
            for (name, value) in upload.fields.pairs where name != FormCSRF.fieldName { fields[name, default: []].append(value) }
            for name in ["active", "verified", "close_old_findings"] { fields[name] = [upload.fields.checkbox(name) ? "true" : "false"] }
            fields["tags"] = upload.fields.values("tags")
            fields[reimport ? "test" : "engagement"] = [String(id)]
            var errors: [String: [String]] = [:]
            if upload.fileURL == nil { errors["file", default: []].append("Choose a report file.") }
            let options: ImportOptions
            switch ImportOptions.parse(fields, reimport: reimport, today: context.now) {
            case .success(let parsed): options = parsed
            case .failure(let invalid):
                for (name, messages) in invalid.fields { errors[name, default: []] += messages }
                return page(context, request, target: target, values: upload.fields, errors: errors, reimport: reimport)
            }
            guard errors.isEmpty, let fileURL = upload.fileURL else {
                return page(context, request, target: target, values: upload.fields, errors: errors, reimport: reimport)
            }
            let service = ImportService(database: request.db, user: context.user, now: context.now)
            let report = ScanInput(fileURL: fileURL, filename: upload.fileName)
            let outcome: ImportOutcome
            do {
                if reimport {
                    outcome = try await service.reimportScan(options, report: report)
                } else {
                    outcome = try await service.importScan(options, report: report)
                }
            } catch let error as ImportError {
                return page(context, request, target: target, values: upload.fields, errors: Self.errors(error), reimport: reimport)
            }
            let title = try await context.db.raw("SELECT title, scan_type FROM tests WHERE id = \(bind: outcome.test)").first()
            let storedTitle = try title?.decode(column: "title", as: String?.self) ?? ""
            let testTitle = storedTitle.isEmpty ? options.scanType : storedTitle
            let result = ImportPage.Result(test: outcome.test, testTitle: testTitle, reimport: reimport, created: outcome.created, closed: outcome.closed,
                                           reactivated: outcome.reactivated, untouched: outcome.untouched, duplicates: outcome.duplicates)
            return WebHandler.page(context, request: request, section: .imports, title: reimport ? "Reimport finished" : "Import finished",
                                   content: ImportPage.View.result(result))
        }
    }

    func page(_ context: WebContext, _ request: Request, target: ImportPage.Target, values: FormData, errors: [String: [String]], reimport: Bool) -> Response {
        let model = ImportPage.Model(target: target, scanTypes: Self.scanTypes, values: values, errors: errors, csrfToken: context.csrfToken)
        return WebHandler.page(context, request: request, section: .imports, title: reimport ? "Reimport scan" : "Import scan", status: .badRequest,
                               content: ImportPage.View.form(model))
    }

    /// The importer's refusal beside the right field: parser messages go with the file.
    static func errors(_ error: ImportError) -> [String: [String]] {
        switch error {
        case .field(let name, let message): return [name == "non_field_errors" ? "file" : name: [message]]
        case .message(let message): return ["file": [message]]
        case .notFound(let message): return ["file": [message]]
        case .forbidden: return ["file": ["You do not have permission to import into this target."]]
        case .parse(let parseError): return ["file": [parseError.description]]
        }
    }

    /// `/imports`: the newest imports and reimports the user may see.
    @Sendable func history(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let page = max(1, request.queryData().int("page") ?? 1)
            let items = try await ImportsQuery(db: context.db, user: context.user).latest(limit: 50, offset: (page - 1) * 50)
            return WebHandler.page(context, request: request, section: .imports, title: "Imports", content: .group(
                Components.heading("Imports"),
                .p(.attr("class", "muted"), .txt("Import a scan from an engagement's page; reimport from a test's page.")),
                Dashboard.View.importsTable(items),
                .nav(.attr("class", "pagination"), .attr("aria-label", "Pages"),
                     .when(page > 1, Components.link("← Newer", "\(Links.imports)?page=\(page - 1)")),
                     .when(items.count == 50, Components.link("Older →", "\(Links.imports)?page=\(page + 1)")))))
        }
    }
}
