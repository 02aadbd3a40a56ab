import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("users/ and user_profile/")
struct UsersTests {
    static let userFields = ["id", "username", "first_name", "last_name", "email", "date_joined", "last_login", "is_active",
                             "is_superuser", "token_last_reset", "password_last_reset", "configuration_permissions"]

    @Test("DefectDojo's documented example works verbatim: GET /api/v2/users/?username__contains=jay")
    func documentedExample() async throws {
        try await withTestServer { server in
            // Given
            _ = try await server.makeUser("jay")
            _ = try await server.makeUser("jaylen")
            _ = try await server.makeUser("maria")
            // When
            let response = try await server.request(.GET, "/api/v2/users/?username__contains=jay")
            // Then
            #expect(response.status == .ok)
            #expect(response.json["count"] == .int(2))
            #expect(response.json["results"]?.items.compactMap { $0["username"]?.stringValue }.sorted() == ["jay", "jaylen"])
        }
    }

    @Test("username= is a case-insensitive substring filter; __contains is case-sensitive")
    func usernameFilters() async throws {
        try await withTestServer { server in
            _ = try await server.makeUser("JayZ")
            _ = try await server.makeUser("bob")
            let icontains = try await server.request(.GET, "/api/v2/users/?username=jAy")
            #expect(icontains.json["results"]?.items.compactMap { $0["username"]?.stringValue } == ["JayZ"])
            let contains = try await server.request(.GET, "/api/v2/users/?username__contains=jay")
            #expect(contains.json["count"] == .int(0))
            let icontainsLookup = try await server.request(.GET, "/api/v2/users/?username__icontains=JAY")
            #expect(icontainsLookup.json["count"] == .int(1))
            let inLookup = try await server.request(.GET, "/api/v2/users/?username__in=bob,admin&o=username")
            #expect(inLookup.json["results"]?.items.compactMap { $0["username"]?.stringValue } == ["admin", "bob"])
        }
    }

    @Test("A user renders DefectDojo's fields in order and never the password")
    func fieldOrder() async throws {
        try await withTestServer { server in
            let response = try await server.request(.GET, "/api/v2/users/1/")
            #expect(response.status == .ok)
            #expect(response.json.keys == Self.userFields + ["prefetch"])
            #expect(!response.body.contains("password\":\"$"))
        }
    }

    @Test("Creating a user hashes the password and echoes the user without it")
    func createUser() async throws {
        try await withTestServer { server in
            // When
            let response = try await server.request(.POST, "/api/v2/users/", json: """
                {"username":"dana","email":"dana@example.com","password":"Str0ng-Enough!","first_name":"Dana","tags":"ignored"}
                """)
            // Then
            #expect(response.status == .created)
            #expect(response.json["username"] == .string("dana"))
            #expect(response.json["is_active"] == .bool(true))
            #expect(response.json["is_superuser"] == .bool(false))
            #expect(response.json["password"] == nil)
            let login = try await server.request(.POST, "/api/v2/api-token-auth/", token: .some(nil),
                                                 form: [("username", "dana"), ("password", "Str0ng-Enough!")])
            #expect(login.status == .ok)
        }
    }

    @Test("User validation gives DRF's field messages",
          arguments: [
              (#"{"email":"x@example.com"}"#, "username", "This field is required."),
              (#"{"username":"eve"}"#, "email", "This field is required."),
              (#"{"username":"eve","email":"not-an-email"}"#, "email", "Enter a valid email address."),
              (#"{"username":"admin","email":"a@example.com"}"#, "username", "A user with that username already exists."),
              (#"{"username":"bad name!","email":"a@example.com"}"#, "username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."),
              (#"{"username":"eve","email":"a@example.com","password":"short"}"#, "password", "This password is too short. It must contain at least 9 characters."),
              (#"{"username":"eve","email":"a@example.com","is_active":"maybe"}"#, "is_active", "Must be a valid boolean."),
          ])
    func validation(body: String, field: String, message: String) async throws {
        try await withTestServer { server in
            let response = try await server.request(.POST, "/api/v2/users/", json: body)
            #expect(response.status == .badRequest)
            #expect(response.json[field]?.items.contains(.string(message)) == true, "\(response.body)")
        }
    }

    @Test("Passwords cannot be changed through PATCH; other fields can")
    func patchUser() async throws {
        try await withTestServer { server in
            let user = try await server.makeUser("frank")
            let password = try await server.request(.PATCH, "/api/v2/users/\(user.id)/", json: #"{"password":"An0ther-Pass!"}"#)
            #expect(password.status == .badRequest)
            let name = try await server.request(.PATCH, "/api/v2/users/\(user.id)/", json: #"{"last_name":"Ocean"}"#)
            #expect(name.status == .ok)
            #expect(name.json["last_name"] == .string("Ocean"))
            #expect(name.json["username"] == .string("frank"))
        }
    }

    @Test("Only superusers manage users; users cannot delete themselves")
    func permissions() async throws {
        try await withTestServer { server in
            let user = try await server.makeUser("grace")
            let listAsUser = try await server.request(.GET, "/api/v2/users/", token: user.token)
            #expect(listAsUser.status == .forbidden)
            #expect(listAsUser.json["detail"] == .string("You do not have permission to perform this action."))
            let selfDelete = try await server.request(.DELETE, "/api/v2/users/1/")
            #expect(selfDelete.status == .badRequest)
            let delete = try await server.request(.DELETE, "/api/v2/users/\(user.id)/")
            #expect(delete.status == .noContent)
            #expect(delete.body.isEmpty)
            #expect(try await server.request(.GET, "/api/v2/users/\(user.id)/").status == .notFound)
        }
    }

    @Test("o orders users; an unknown o value is a 400")
    func ordering() async throws {
        try await withTestServer { server in
            _ = try await server.makeUser("zed")
            _ = try await server.makeUser("amy")
            let descending = try await server.request(.GET, "/api/v2/users/?o=-username")
            #expect(descending.json["results"]?.items.compactMap { $0["username"]?.stringValue } == ["zed", "amy", "admin"])
            let bad = try await server.request(.GET, "/api/v2/users/?o=password")
            #expect(bad.status == .badRequest)
            #expect(bad.json["o"] == .array([.string("Select a valid choice. password is not one of the available choices.")]))
        }
    }

    @Test("date_joined_after / _before are inclusive ranges; a bad date is a 400")
    func dateRanges() async throws {
        try await withTestServer { server in
            let today = DateFormatting.day(Date())
            let after = try await server.request(.GET, "/api/v2/users/?date_joined_after=\(today)")
            #expect(after.json["count"] == .int(1))
            let before = try await server.request(.GET, "/api/v2/users/?date_joined_before=2000-01-01")
            #expect(before.json["count"] == .int(0))
            let bad = try await server.request(.GET, "/api/v2/users/?date_joined_after=yesterday")
            #expect(bad.status == .badRequest)
            #expect(bad.json["date_joined_after"] != nil)
        }
    }

    @Test("user_profile shows the caller and their memberships")
    func userProfile() async throws {
        try await withTestServer { server in
            let created = try await server.request(.POST, "/api/v2/product_types/", json: #"{"name":"Team"}"#)
            #expect(created.status == .created)
            let profile = try await server.request(.GET, "/api/v2/user_profile/")
            #expect(profile.status == .ok)
            #expect(profile.json.keys == ["user", "user_contact_info", "global_role", "dojo_group_member", "product_type_member", "product_member"])
            #expect(profile.json["user"]?.keys == Self.userFields)
            let membership = try #require(profile.json["product_type_member"]?.items.first)
            #expect(membership["role"] == .int(4))
            #expect(membership["user"] == .int(1))
        }
    }
}
