/// Keys of the login session shared by the HTML login page and the API's session authentication.
public enum SessionKeys {
    /// The logged-in user's id (Django's `_auth_user_id`).
    public static let userID = "_auth_user_id"
    /// The CSRF secret that unsafe session-authenticated requests must echo in `X-CSRFToken`.
    public static let csrfToken = "csrf_token"
    /// Session cookie name, as Django names it.
    public static let cookieName = "sessionid"
    /// Cookie that carries the CSRF token to browser scripts (Swagger UI).
    public static let csrfCookieName = "csrftoken"
}
