import BulwarkHTTP
import BulwarkServices
import Fluent
import SQLKit
import Vapor

/// Settings the pages need; built by the app from `AppConfig`.
public struct WebSettings: Sendable {
    public var apiTokensEnabled: Bool
    public var hasher: any PasswordHashing
    public var swaggerUI: SwaggerUIAssets
    /// The same throttle the API's password checks count in.
    public var loginThrottle: LoginThrottle
    public init(apiTokensEnabled: Bool, hasher: any PasswordHashing, swaggerUI: SwaggerUIAssets = .defaultCDN,
                loginThrottle: LoginThrottle = LoginThrottle()) {
        self.apiTokensEnabled = apiTokensEnabled
        self.hasher = hasher
        self.swaggerUI = swaggerUI
        self.loginThrottle = loginThrottle
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
    static func safeNext(_ raw: String?) -> String { SafeRedirect.path(raw) }

    /// The flat fields of a form body (no nested keys, so no recursion on hostile input).
    static func formFields(_ request: Request) -> [String: String] {
        guard let body = request.body.string else { return [:] }
        var fields: [String: String] = [:]
        for (name, value) in FormURLEncoded.pairs(body) { fields[name] = value }
        return fields
    }

    /// The login page with a CSRF token, setting the token cookie when the browser has none.
    private func loginPage(_ request: Request, _ model: LoginPage.Model, status: HTTPResponseStatus = .ok) -> Response {
        let existing = CSRFToken.current(request)
        var model = model
        model.csrfToken = existing ?? CSRFToken.newToken()
        let response = html(LoginPage.render(model), status: status)
        if existing == nil { CSRFToken.set(model.csrfToken, on: response, secure: request.isSecure) }
        return response
    }

    @Sendable func showLogin(_ request: Request) async throws -> Response {
        loginPage(request, .init(next: Self.safeNext(request.query[String.self, at: "next"])))
    }

    @Sendable func login(_ request: Request) async throws -> Response {
        let form = Self.formFields(request)
        let next = Self.safeNext(form["next"])
        let typedName = String((form["username"] ?? "").prefix(150))
        guard CSRFToken.isValid(form[CSRFToken.fieldName], for: request) else {
            return loginPage(request, .init(
                username: typedName, error: "The form expired or did not come from this site. Please log in again.", next: next),
                status: .forbidden)
        }
        guard let username = form["username"], let password = form["password"], !username.isEmpty, !password.isEmpty else {
            return loginPage(request, .init(username: typedName, error: "Enter your username and password.", next: next), status: .badRequest)
        }
        let accounts = try accounts(request)
        let user: UserAccount
        switch try await accounts.authenticate(
            username: username, password: password, throttle: settings.loginThrottle, address: request.clientAddress) {
        case .success(let account):
            user = account
        case .failure(.throttled(let wait)):
            let response = loginPage(request, .init(
                username: typedName, error: "Too many failed attempts. Try again in \(wait) seconds.", next: next), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: "Retry-After", value: String(wait))
            return response
        case .failure(.busy):
            let response = loginPage(request, .init(
                username: typedName, error: "The server is busy checking other sign-ins. Try again in a moment.", next: next),
                status: .tooManyRequests)
            response.headers.replaceOrAdd(name: "Retry-After", value: "1")
            return response
        case .failure(.invalidCredentials), .failure(.inactive):
            return loginPage(request, .init(
                username: typedName, error: "Please enter a correct username and password. Note that both fields may be case-sensitive.", next: next),
                status: .unauthorized)
        }
        try await accounts.recordLogin(userID: user.id)
        // A new session id at login: an id planted in the browser beforehand (fixation) is worthless.
        try await request.rotateSession()
        let csrf = AccountService.newTokenKey()
        request.session.data[SessionKeys.userID] = String(user.id)
        request.session.data[SessionKeys.csrfToken] = csrf
        let response = request.redirect(to: next, redirectType: .normal)
        CSRFToken.set(csrf, on: response, secure: request.isSecure)
        return response
    }

    @Sendable func logout(_ request: Request) async throws -> Response {
        // Destroying deletes the stored session and expires the cookie; a later login gets a new id.
        if request.hasSession { request.session.destroy() }
        return request.redirect(to: "/login")
    }

    private func sessionUser(_ request: Request) async throws -> UserAccount? {
        guard request.hasSession, let raw = request.session.data[SessionKeys.userID], let id = Int(raw) else { return nil }
        guard let user = try await accounts(request).user(id: id), user.isActive else { return nil }
        return user
    }
}
