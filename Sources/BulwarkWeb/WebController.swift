import BulwarkServices
import Fluent
import SQLKit
import Vapor

/// Settings the pages need; built by the app from `AppConfig`.
public struct WebSettings: Sendable {
    public var apiTokensEnabled: Bool
    public var hasher: any PasswordHashing
    public var swaggerUI: SwaggerUIAssets
    public init(apiTokensEnabled: Bool, hasher: any PasswordHashing, swaggerUI: SwaggerUIAssets = .defaultCDN) {
        self.apiTokensEnabled = apiTokensEnabled
        self.hasher = hasher
        self.swaggerUI = swaggerUI
    }
}

/// `/login`, `/logout`, the API key page (`/api/key-v2`) and the Swagger UI page, backed by the session cookie.
public struct WebController: Sendable {
    public let settings: WebSettings
    public init(settings: WebSettings) { self.settings = settings }

    public func register(on app: Application) {
        app.get("login", use: showLogin)
        app.post("login", use: login)
        app.get("logout", use: logout)
        app.post("logout", use: logout)
        SwaggerUIController(assets: settings.swaggerUI) { request in try await sessionUser(request) != nil }.register(on: app)
    }

    private func accounts(_ request: Request) throws -> AccountService {
        guard let sql = request.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        return AccountService(db: sql, hasher: settings.hasher)
    }

    private func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: text))
    }

    /// Only local paths are followed after login, so `next` cannot send users to another site.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return "/" }
        return raw
    }

    @Sendable func showLogin(_ request: Request) async throws -> Response {
        html(LoginPage.render(.init(next: Self.safeNext(request.query[String.self, at: "next"]))))
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    @Sendable func login(_ request: Request) async throws -> Response {
        let form = (try? request.content.decode(LoginForm.self)) ?? LoginForm()
        let next = Self.safeNext(form.next)
        guard let username = form.username, let password = form.password, !username.isEmpty, !password.isEmpty else {
            return html(LoginPage.render(.init(username: form.username ?? "", error: "Enter your username and password.", next: next)), status: .badRequest)
        }
        let accounts = try accounts(request)
        guard case .success(let user) = try await accounts.authenticate(username: username, password: password) else {
            return html(LoginPage.render(.init(
                username: username, error: "Please enter a correct username and password. Note that both fields may be case-sensitive.", next: next)),
                status: .unauthorized)
        }
        try await accounts.recordLogin(userID: user.id)
        let csrf = AccountService.newTokenKey()
        request.session.data[SessionKeys.userID] = String(user.id)
        request.session.data[SessionKeys.csrfToken] = csrf
        let response = request.redirect(to: next, redirectType: .normal)
        response.cookies[SessionKeys.csrfCookieName] = HTTPCookies.Value(string: csrf, path: "/", isHTTPOnly: false, sameSite: .lax)
        return response
    }

    @Sendable func logout(_ request: Request) async throws -> Response {
        if request.hasSession { request.session.destroy() }
        return request.redirect(to: "/login")
    }

    private func sessionUser(_ request: Request) async throws -> UserAccount? {
        guard request.hasSession, let raw = request.session.data[SessionKeys.userID], let id = Int(raw) else { return nil }
        guard let user = try await accounts(request).user(id: id), user.isActive else { return nil }
        return user
    }
}
