import BulwarkServices
import Fluent
import BulwarkStorage
import Foundation
import Plot
import SQLKit
import Vapor

/// The findings pages: list, bulk actions, detail, edit, and the triage actions, all through ``FindingTriageService``.
struct FindingPagesController: Sendable {
    let settings: PageSettings

    func register(on app: Application) {
        app.get("finding", use: list)
        app.post("finding", "bulk", use: bulk)
        app.get("finding", ":id", use: detail)
        app.get("finding", ":id", "edit", use: editForm)
        app.post("finding", ":id", ":action", use: action)
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let filters = FindingList.Filters(request.queryData())
            let model = try await FindingList.Query(db: context.db, user: context.user, now: context.now).model(filters, csrfToken: context.csrfToken)
            return WebHandler.page(context, request: request, section: .findings, title: "Findings", content: FindingList.View.content(model))
        }
    }

    @Sendable func detail(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let id = try WebHandler.id(request)
            guard let model = try await FindingDetail.Query(db: context.db, user: context.user, now: context.now).model(id: id, csrfToken: context.csrfToken)
            else { throw AccessError.notFound }
            return WebHandler.page(context, request: request, section: .findings, title: model.title, content: FindingDetail.View.content(model))
        }
    }

    @Sendable func editForm(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let id = try WebHandler.id(request)
            try await context.access.require(.findings, id: id, write: true)
            guard let row = try await context.db.raw("""
                SELECT title, severity, description, mitigation, impact, \(ident: "references"), component_name, component_version, file_path, line, cwe
                FROM findings WHERE id = \(bind: id)
                """).first()
            else { throw AccessError.notFound }
            func text(_ column: String) throws -> String { try row.decode(column: column, as: String?.self) ?? "" }
            let edit = FindingEdit(title: try text("title"), severity: try text("severity"), description: try text("description"),
                                   mitigation: try text("mitigation"), impact: try text("impact"), references: try text("references"),
                                   componentName: try text("component_name"), componentVersion: try text("component_version"),
                                   filePath: try text("file_path"), line: try row.decode(column: "line", as: Int?.self).map(String.init) ?? "",
                                   cwe: try row.decode(column: "cwe", as: Int?.self).map(String.init) ?? "")
            let model = FindingEditPage.Model(id: id, edit: edit, errors: [:], csrfToken: context.csrfToken)
            return WebHandler.page(context, request: request, section: .findings, title: "Edit finding", content: FindingEditPage.View.content(model))
        }
    }

    /// `POST /finding/{id}/{action}`: one triage action, then back to the finding with a message.
    @Sendable func action(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let id = try WebHandler.id(request)
            let form = try WebHandler.form(request)
            let triage = FindingTriageService(database: request.db, user: context.user, now: context.now)
            let back = Links.finding(id)
            do {
                switch request.parameters.get("action") ?? "" {
                case "verify":
                    try await triage.verify(id)
                    return WebHandler.redirect(request, to: back, flash: "Finding verified.")
                case "close":
                    let note = form["note"].flatMap { $0.isEmpty ? nil : NewNote(entry: $0) }
                    try await triage.close(id, CloseRequest(note: note))
                    return WebHandler.redirect(request, to: back, flash: "Finding closed.")
                case "reopen":
                    try await triage.reopen(id)
                    return WebHandler.redirect(request, to: back, flash: "Finding reopened.")
                case "false_positive":
                    try await triage.markFalsePositive(id)
                    return WebHandler.redirect(request, to: back, flash: "Finding marked as a false positive.")
                case "out_of_scope":
                    try await triage.markOutOfScope(id)
                    return WebHandler.redirect(request, to: back, flash: "Finding marked out of scope.")
                case "reset_duplicate":
                    try await triage.resetDuplicate(id)
                    return WebHandler.redirect(request, to: back, flash: "Finding is no longer a duplicate.")
                case "accept_risk":
                    guard let reason = form["reason"], !reason.isEmpty else {
                        return WebHandler.redirect(request, to: back, flash: "Enter a reason to accept the risk.", kind: .error)
                    }
                    try await triage.acceptRisk([id], Self.riskRequest(form, reason: reason, user: context.user))
                    return WebHandler.redirect(request, to: back, flash: "Risk accepted.")
                case "note":
                    guard let entry = form["entry"], !entry.isEmpty else {
                        return WebHandler.redirect(request, to: back, flash: "A note cannot be empty.", kind: .error)
                    }
                    try await triage.addNote(id, NewNote(entry: entry, isPrivate: form.checkbox("private")))
                    return WebHandler.redirect(request, to: back, flash: "Note added.")
                case "tags":
                    let names = Self.tags(form["tags"])
                    guard !names.isEmpty else { return WebHandler.redirect(request, to: back, flash: "Enter at least one tag.", kind: .error) }
                    try await triage.addTags(id, names)
                    return WebHandler.redirect(request, to: back, flash: "Tags added.")
                case "remove_tag":
                    try await triage.removeTags(id, [form["tag"] ?? ""])
                    return WebHandler.redirect(request, to: back, flash: "Tag removed.")
                case "edit":
                    let edit = FindingEditPage.View.edit(from: form)
                    do {
                        try await triage.edit(id, edit)
                    } catch let error as FindingEditError {
                        let model = FindingEditPage.Model(id: id, edit: edit, errors: error.fields, csrfToken: context.csrfToken)
                        return WebHandler.page(context, request: request, section: .findings, title: "Edit finding", status: .badRequest,
                                               content: FindingEditPage.View.content(model))
                    }
                    return WebHandler.redirect(request, to: back, flash: "Finding saved.")
                default:
                    throw AccessError.notFound
                }
            } catch let error as TriageError {
                return WebHandler.redirect(request, to: back, flash: error.message, kind: .error)
            } catch let error as NoteError {
                return WebHandler.redirect(request, to: back, flash: error.message, kind: .error)
            }
        }
    }

    /// `POST /finding/bulk`: one action on the selected findings, then back to the same list.
    @Sendable func bulk(_ request: Request) async throws -> Response {
        try await WebHandler.run(request, settings) { context in
            let form = try WebHandler.form(request)
            let back = Links.findings(FindingList.Filters(FormData(urlEncoded: form["return"] ?? "")).query())
            let ids = form.ints("finding")
            guard !ids.isEmpty else { return WebHandler.redirect(request, to: back, flash: "Select at least one finding.", kind: .error) }
            let action: BulkTriageAction
            switch form["action"] ?? "" {
            case "close": action = .close
            case "verify": action = .verify
            case "false_positive": action = .falsePositive
            case "tag":
                let names = Self.tags(form["tags"])
                guard !names.isEmpty else { return WebHandler.redirect(request, to: back, flash: "Enter at least one tag.", kind: .error) }
                action = .addTags(names)
            case "accept_risk":
                guard let reason = form["reason"], !reason.isEmpty else {
                    return WebHandler.redirect(request, to: back, flash: "Enter a reason to accept the risk.", kind: .error)
                }
                action = .acceptRisk(Self.riskRequest(form, reason: reason, user: context.user))
            default:
                return WebHandler.redirect(request, to: back, flash: "Choose an action.", kind: .error)
            }
            let outcome = try await FindingTriageService(database: request.db, user: context.user, now: context.now).bulk(action, ids: ids)
            var message = "\(outcome.applied.count) finding\(outcome.applied.count == 1 ? "" : "s") updated."
            if let first = outcome.refused.first {
                message += " \(outcome.refused.count) refused (finding \(first.id): \(first.reason))"
            }
            return WebHandler.redirect(request, to: back, flash: message, kind: outcome.refused.isEmpty ? .success : .error)
        }
    }

    static func tags(_ raw: String?) -> [String] {
        (raw ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).filter { !$0.isEmpty }
    }

    static func riskRequest(_ form: FormData, reason: String, user: UserAccount) -> RiskAcceptanceRequest {
        let expiration = form["expiration"].flatMap { FindingList.Filters.day($0).isEmpty ? nil : DateFormatting.parseDay($0) }
        return RiskAcceptanceRequest(name: "Accepted by \(user.username): \(reason.prefix(200))", reason: reason, acceptedBy: user.username,
                                     expiration: expiration)
    }
}
