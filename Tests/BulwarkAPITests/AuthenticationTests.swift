import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("Authentication as DefectDojo does it")
struct AuthenticationTests {
    @Test("A request without credentials gets 403 with DRF's message")
    func missingCredentials() async throws {
        try await withTestServer { server in
            // When
            let response = try await server.request(.GET, "/api/v2/users/", token: .some(nil))
            // Then
            #expect(response.status == .forbidden)
            #expect(response.json["detail"] == .string("Authentication credentials were not provided."))
        }
    }

    @Test("A wrong token gets 403 Invalid token.")
    func invalidToken() async throws {
        try await withTestServer { server in
            let response = try await server.request(.GET, "/api/v2/users/", token: "0123456789abcdef0123456789abcdef01234567")
            #expect(response.status == .forbidden)
            #expect(response.json["detail"] == .string("Invalid token."))
        }
    }

    @Test("Neither HEAD, OPTIONS, other verbs nor a missing trailing slash skip authentication",
          arguments: ["/api/v2/users/", "/api/v2/users", "/api/v2/users/1/", "/api/v2/products/1/delete_preview/", "/api/v2/user_profile"])
    func noBypass(path: String) async throws {
        try await withTestServer { server in
            for method in [HTTPMethodName.get, .head, .options, .put, .patch, .delete, .post] {
                let response = try await server.request(method.method, path, token: .some(nil))
                #expect(response.status == .forbidden, "\(method) \(path) answered \(response.status)")
                #expect(!response.body.contains("admin@"), "\(method) \(path) leaked data")
            }
        }
    }

    @Test("HTTP Basic works; a wrong password gets 403 Invalid username/password.")
    func basicAuth() async throws {
        try await withTestServer { server in
            let good = Data("admin:\(TestServer.adminPassword)".utf8).base64EncodedString()
            let ok = try await server.request(.GET, "/api/v2/user_profile/", token: .some(nil), headers: [("Authorization", "Basic \(good)")])
            #expect(ok.status == .ok)
            #expect(ok.json["user"]?["username"] == .string("admin"))
            let bad = Data("admin:nope".utf8).base64EncodedString()
            let denied = try await server.request(.GET, "/api/v2/user_profile/", token: .some(nil), headers: [("Authorization", "Basic \(bad)")])
            #expect(denied.status == .forbidden)
            #expect(denied.json["detail"] == .string("Invalid username/password."))
            let garbage = try await server.request(.GET, "/api/v2/user_profile/", token: .some(nil), headers: [("Authorization", "Basic %%%")])
            #expect(garbage.status == .forbidden)
        }
    }

    @Test("Bearer is not a DefectDojo scheme")
    func bearerRejected() async throws {
        try await withTestServer { server in
            let response = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Authorization", "Bearer \(server.adminToken)")])
            #expect(response.status == .forbidden)
        }
    }

    @Test("api-token-auth accepts a form or JSON and returns a working token (a new one each time: stored keys cannot be read back)")
    func obtainToken() async throws {
        try await withTestServer { server in
            // When
            let form = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil),
                                                form: [("username", "admin"), ("password", TestServer.adminPassword)])
            let json = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil),
                                                json: #"{"username":"admin","password":"\#(TestServer.adminPassword)"}"#)
            // Then
            #expect(form.status == .ok)
            #expect(form.json.keys == ["token"])
            let key = try #require(form.json["token"]?.stringValue)
            let other = try #require(json.json["token"]?.stringValue)
            #expect(key != other)
            #expect(key.count == 40 && key.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            for token in [key, other] { #expect(try await server.request(.GET, "/api/v2/user_profile/", token: token).status == .ok) }
        }
    }

    @Test("api-token-auth rejects bad credentials and missing fields with DRF's 400 bodies")
    func obtainTokenErrors() async throws {
        try await withTestServer { server in
            let wrong = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil), form: [("username", "admin"), ("password", "x")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.json["non_field_errors"] == .array([.string("Unable to log in with provided credentials.")]))
            let missing = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil), json: #"{"password":"x"}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.json["username"] == .array([.string("This field is required.")]))
            let malformed = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil), json: #"{"username":"#)
            #expect(malformed.status == .badRequest)
            let get = try await server.request(.GET, "/api/v2/api-token-auth/", token: .some(nil))
            #expect(get.status == .methodNotAllowed)
        }
    }

    @Test("DD_API_TOKENS_ENABLED=False turns tokens and the endpoint off")
    func tokensDisabled() async throws {
        try await withTestServer(configure: { $0.apiTokensEnabled = false }) { server in
            let withToken = try await server.request(.GET, "/api/v2/users/")
            #expect(withToken.status == .forbidden)
            #expect(withToken.json["detail"] == .string("Authentication credentials were not provided."))
            let endpoint = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil),
                                                    form: [("username", "admin"), ("password", TestServer.adminPassword)])
            #expect(endpoint.status == .notFound)
            let basic = Data("admin:\(TestServer.adminPassword)".utf8).base64EncodedString()
            let viaBasic = try await server.request(.GET, "/api/v2/users/", token: .some(nil), headers: [("Authorization", "Basic \(basic)")])
            #expect(viaBasic.status == .ok)
        }
    }

    @Test("DD_API_TOKEN_AUTH_ENDPOINT_ENABLED=False only removes the endpoint")
    func endpointDisabled() async throws {
        try await withTestServer(configure: { $0.tokenAuthEndpointEnabled = false }) { server in
            let endpoint = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil),
                                                    form: [("username", "admin"), ("password", TestServer.adminPassword)])
            #expect(endpoint.status == .notFound)
            #expect(try await server.request(.GET, "/api/v2/users/").status == .ok)
        }
    }

    @Test("reset_api_token rotates the key: the old one stops working")
    func resetToken() async throws {
        try await withTestServer { server in
            // Given
            let user = try await server.makeUser("carol")
            // When
            let reset = try await server.request(.POST, "/api/v2/users/\(user.id)/reset_api_token/")
            // Then
            #expect(reset.status == .noContent)
            #expect(try await server.request(.GET, "/api/v2/user_profile/", token: user.token).status == .forbidden)
            // The old tokens are gone and one new "default" token replaces them (its key went nowhere: stored keys cannot be read back).
            let remaining = try await server.accounts.tokens(ofUser: user.id)
            #expect(remaining.map(\.name) == ["default"])
            #expect(remaining.first?.prefix != String(user.token.prefix(8)))
            let fresh = try await server.accounts.issueToken(for: user.id, TokenRequest(name: "after reset")).key
            let profile = try await server.request(.GET, "/api/v2/user_profile/", token: fresh)
            #expect(profile.status == .ok)
            #expect(profile.json["user"]?["token_last_reset"]?.stringValue != nil)
            #expect(try await server.request(.POST, "/api/v2/users/999/reset_api_token/").status == .notFound)
            #expect(try await server.request(.POST, "/api/v2/users/\(user.id)/reset_api_token/", token: fresh).status == .forbidden)
        }
    }

    @Test("An inactive user's token is refused")
    func inactiveUser() async throws {
        try await withTestServer { server in
            let user = try await server.makeUser("dormant", active: false)
            let response = try await server.request(.GET, "/api/v2/user_profile/", token: user.token)
            #expect(response.status == .forbidden)
            #expect(response.json["detail"] == .string("User inactive or deleted."))
        }
    }

    @Test("Passwords are stored as Bcrypt hashes, never in plain text")
    func passwordsHashed() async throws {
        try await withTestServer { server in
            let row = try #require(try await server.sql.raw("SELECT password FROM users WHERE username = 'admin'").first())
            let stored = try row.decode(column: "password", as: String.self)
            #expect(stored.hasPrefix("$2"))
            #expect(!stored.contains(TestServer.adminPassword))
        }
    }
}

/// HTTP methods as test arguments.
enum HTTPMethodName: String, CaseIterable, Sendable {
    case get, head, options, put, patch, delete, post
    var method: HTTPMethodValue {
        switch self {
        case .get: return .GET
        case .head: return .HEAD
        case .options: return .OPTIONS
        case .put: return .PUT
        case .patch: return .PATCH
        case .delete: return .DELETE
        case .post: return .POST
        }
    }
}
