import BulwarkHTTP
import BulwarkServices
import Vapor

/// The CSRF check of the pages' forms, on top of BulwarkHTTP's double-submit ``CSRFToken``.
///
/// As Django does: every state-changing form carries a hidden `csrfmiddlewaretoken` field, which
/// must equal the `csrftoken` cookie; the cookie in turn must be the token of the signed-in session
/// (set at login), so a cookie planted by another site or subdomain does not pass either.
enum FormCSRF {
    /// The name of the hidden form field.
    static let fieldName = CSRFToken.fieldName

    /// Why a form was refused.
    struct Refused: Error, Equatable {
        var reason: String
    }

    /// The session's CSRF token, created (and its cookie queued on `response`) when the session has none.
    static func token(for request: Request) -> String {
        if let token = request.session.data[SessionKeys.csrfToken], !token.isEmpty { return token }
        let token = AccountService.newTokenKey()
        request.session.data[SessionKeys.csrfToken] = token
        request.storage[PendingCookieKey.self] = token
        return token
    }

    /// Sets the CSRF cookie on `response` when ``token(for:)`` had to create a token for this request.
    static func attachCookie(from request: Request, to response: Response) {
        guard let token = request.storage[PendingCookieKey.self] else { return }
        CSRFToken.set(token, on: response, secure: request.isSecure)
    }

    /// Checks a submitted form; throws ``Refused`` when the field is missing or does not match.
    static func verify(_ request: Request, form: FormData) throws {
        guard let given = form[fieldName], !given.isEmpty else { throw Refused(reason: "CSRF token missing.") }
        guard CSRFToken.isValid(given, for: request), let cookie = CSRFToken.current(request) else {
            throw Refused(reason: "CSRF token incorrect.")
        }
        guard let expected = request.session.data[SessionKeys.csrfToken], CSRFToken.constantTimeEqual(cookie, expected) else {
            throw Refused(reason: "CSRF cookie does not belong to this session.")
        }
    }

    private struct PendingCookieKey: StorageKey { typealias Value = String }
}
