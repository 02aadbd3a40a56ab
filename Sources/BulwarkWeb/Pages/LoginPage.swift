/// The login form, rendered from a model so it can be tested without a server.
public enum LoginPage {
    /// What the login form shows.
    public struct Model: Sendable, Equatable {
        public var username: String
        public var error: String?
        public var next: String
        /// The form's CSRF token (the `csrftoken` cookie's value).
        public var csrfToken: String

        public init(username: String = "", error: String? = nil, next: String = "/", csrfToken: String = "") {
            self.username = username
            self.error = error
            self.next = next
            self.csrfToken = csrfToken
        }
    }

    /// The page's HTML.
    public static func render(_ model: Model) -> String {
        let error = model.error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? ""
        return HTML.page(title: "Login", body: """
            <h1>Log in</h1>\(error)
            <form method="post" action="/login">
            <input type="hidden" name="csrfmiddlewaretoken" value="\(HTML.escape(model.csrfToken))">
            <input type="hidden" name="next" value="\(HTML.escape(model.next))">
            <label for="username">Username</label><input id="username" name="username" autocomplete="username" value="\(HTML.escape(model.username))" required>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Log in</button>
            </form>
            """)
    }
}

/// The signed-in landing page with the user's API key (DefectDojo's `/api/key-v2`).
public enum APIKeyPage {
    /// What the key page shows.
    public struct Model: Sendable, Equatable {
        public var username: String
        public var token: String?
        public var userID: Int
        /// The "Generate new key" form's CSRF token.
        public var csrfToken: String

        public init(username: String, token: String?, userID: Int, csrfToken: String = "") {
            self.username = username
            self.token = token
            self.userID = userID
            self.csrfToken = csrfToken
        }
    }

    public static func render(_ model: Model) -> String {
        let key = model.token.map { "<p>Your API v2 key:</p><p><code id=\"api-key\">\(HTML.escape($0))</code></p>" }
            ?? "<p>API tokens are disabled on this server.</p>"
        let reset = model.token == nil ? "" : """
            <form method="post" action="/api/key-v2"><input type="hidden" name="csrfmiddlewaretoken" value="\(HTML.escape(model.csrfToken))"><input type="hidden" name="id" value="\(model.userID)"><button type="submit">Generate new key</button></form>
            """
        return HTML.page(title: "API key", body: """
            <h1>Signed in as \(HTML.escape(model.username))</h1>\(key)
            <p>Use it as <code>Authorization: Token &lt;key&gt;</code> with <code>/api/v2/</code>.</p>\(reset)
            <p><a href="/api/v2/oa3/swagger-ui/">API v2 Docs</a> · <a href="/logout">Log out</a></p>
            """)
    }
}
