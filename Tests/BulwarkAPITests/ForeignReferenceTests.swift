import BulwarkTesting
import Foundation
import Testing

/// A Writer on one product names another product's objects in writes: each is refused as if the
/// object did not exist (400 "Invalid pk"), and nothing changes.
@Suite("Foreign references in writes")
struct ForeignReferenceTests {
    @Test("Tests, engagements and findings cannot be created under another product's engagement, product or test")
    func foreignParents() async throws {
        try await withTestServer { server in
            // Given a Writer on "Mine" only, and a second product "Theirs"
            let mine = try await server.makeChain(name: "Mine")
            let theirs = try await server.makeChain(name: "Theirs")
            let writer = try await server.makeUser("writer")
            let member = try await server.request(.POST, "/api/v2/product_members/", json: #"{"product": \#(mine.product), "user": \#(writer.id), "role": 2}"#)
            #expect(member.status == .created, "\(member.body)")
            let finding = try await server.makeFinding(mine)

            // When / Then: each write naming a foreign parent is a 400 on that field
            let test = try await server.request(.POST, "/api/v2/tests/", token: writer.token, json: """
                {"engagement": \(theirs.engagement), "test_type": 1, "target_start": "2026-01-01T00:00:00Z", "target_end": "2026-01-02T00:00:00Z"}
                """)
            #expect(test.status == .badRequest && test.json["engagement"] != nil, "\(test.status) \(test.body)")
            let engagement = try await server.request(.POST, "/api/v2/engagements/", token: writer.token, json: """
                {"product": \(theirs.product), "target_start": "2026-01-01", "target_end": "2026-01-02"}
                """)
            #expect(engagement.status == .badRequest && engagement.json["product"] != nil, "\(engagement.status) \(engagement.body)")
            // A finding's test cannot be changed by PATCH at all: the finding stays where it is.
            _ = try await server.request(.PATCH, "/api/v2/findings/\(finding)/", token: writer.token, json: #"{"test": \#(theirs.test)}"#)
            let created = try await server.request(.POST, "/api/v2/findings/", token: writer.token, json: """
                {"test": \(theirs.test), "title": "x", "severity": "High", "description": "d", "found_by": [1], "active": true, "verified": false}
                """)
            #expect(created.status == .badRequest && created.json["test"] != nil, "\(created.status) \(created.body)")
            #expect(try await server.count("findings", where: "id = \(finding) AND test_id = \(mine.test)") == 1)
            #expect(try await server.count("tests", where: "engagement_id = \(theirs.engagement)") == 1)
        }
    }
}
