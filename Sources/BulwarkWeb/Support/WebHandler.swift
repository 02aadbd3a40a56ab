import BulwarkServices
import Plot
import Vapor

/// Runs page handlers: signs the visitor in from the session (or redirects to the login page),
/// renders pages in the layout, and turns refusals into HTML answers (404, 403, CSRF).
enum WebHandler {
    static let flashKey = "_flash"
    static let flashKindKey = "_flash_kind"

    /// Runs `body` for a signed-in user and maps the errors pages can meet.
    static func run(_ request: Request, _ settings: PageSettings, _ body: (WebContext) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            let context = try await request.webContext(settings)
            do {
                response = try await body(context)
            } catch AccessError.notFound {
                response = errorPage(context, request: request, status: .notFound, message: "This page does not exist, or you may not see it.")
            } catch AccessError.forbidden {
                response = errorPage(context, request: request, status: .forbidden, message: "You do not have permission to do this.")
            } catch let refused as FormCSRF.Refused {
                response = errorPage(context, request: request, status: .forbidden,
                                     message: "Forbidden (\(refused.reason)) Reload the page and submit the form again.")
            }
        } catch let login as LoginRequired {
            return request.redirect(to: "/login?next=\(FormData.encode(login.next))")
        }
        FormCSRF.attachCookie(from: request, to: response)
        return response
    }

    /// A complete page in the layout.
    static func page(_ context: WebContext, request: Request, section: PageSection, title: String, status: HTTPResponseStatus = .ok,
                     content: Node<Body>) -> Response {
        let text = PageLayout.render(context.chrome(section, title: title, flash: takeFlash(request)), content: content)
        return html(text, status: status)
    }

    static func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"], body: .init(string: text))
    }

    static func errorPage(_ context: WebContext, request: Request, status: HTTPResponseStatus, message: String) -> Response {
        page(context, request: request, section: .dashboard, title: "\(status.code) \(status.reasonPhrase)", status: status,
             content: .group(.h1(.txt("\(status.code) \(status.reasonPhrase)")), .p(.txt(message)), .p(Components.link("Back to the dashboard", Links.dashboard))))
    }

    /// Redirects after a POST with a message for the next page (post/redirect/get).
    static func redirect(_ request: Request, to path: String, flash: String, kind: Flash.Kind = .success) -> Response {
        request.session.data[flashKey] = flash
        request.session.data[flashKindKey] = kind.rawValue
        return request.redirect(to: path, redirectType: .normal)
    }

    static func takeFlash(_ request: Request) -> Flash? {
        guard request.hasSession, let text = request.session.data[flashKey] else { return nil }
        let kind = Flash.Kind(rawValue: request.session.data[flashKindKey] ?? "") ?? .success
        request.session.data[flashKey] = nil
        request.session.data[flashKindKey] = nil
        return Flash(kind: kind, text: text)
    }

    /// The integer path parameter `name`, or a 404.
    static func id(_ request: Request, _ name: String = "id") throws -> Int {
        guard let value = request.parameters.get(name).flatMap({ Int($0) }) else { throw AccessError.notFound }
        return value
    }

    /// Reads a form post and checks its CSRF token.
    static func form(_ request: Request) throws -> FormData {
        let form = request.formData()
        try FormCSRF.verify(request, form: form)
        return form
    }
}
