import BulwarkAPI
import BulwarkServices
import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

@Suite("notes/ and the {id}/notes/ actions")
struct NotesTests {
    typealias F = EngagementFixtures

    @Test("POST {id}/notes/ returns the Note object; GET lists the parent's notes newest first")
    func engagementNotes() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let path = "/api/v2/engagements/\(tree.engagement)/notes/"
            let empty = try await server.request(.GET, path)
            #expect(empty.json == .object([("engagement_id", .int(tree.engagement)), ("notes", .array([]))]))
            // When
            let first = try await server.request(.POST, path, json: #"{"entry":"first","private":true}"#)
            let second = try await server.request(.POST, path, form: [("entry", "second")])
            // Then
            #expect(first.status == .created, "\(first.body)")
            #expect(first.json.keys == F.noteFields)
            #expect(first.json["author"] == .object([("id", .int(1)), ("username", .string("admin")), ("first_name", .string("")),
                                                     ("last_name", .string(""))]))
            #expect(first.json["editor"] == .null && first.json["note_type"] == .null)
            #expect(first.json["private"] == .bool(true) && first.json["edited"] == .bool(false))
            #expect(first.json["edit_time"] == first.json["date"])
            let history = try #require(first.json["history"]?.items.first)
            #expect(history.keys == ["id", "current_editor", "note_type", "data", "time"])
            #expect(history["data"] == .string("first"))
            #expect(history["current_editor"]?["username"] == .string("admin"))
            #expect(second.json["private"] == .bool(false))
            let listed = try await server.request(.GET, path)
            #expect(listed.json.keys == ["engagement_id", "notes"])
            #expect(listed.json["notes"]?.items.compactMap { $0["entry"]?.stringValue } == ["second", "first"])
            let engagement = try await server.request(.GET, "/api/v2/engagements/\(tree.engagement)/")
            #expect(engagement.json["notes"]?.items.count == 2)
            #expect(engagement.json["notes"]?.items.first?.keys == F.noteFields)
            #expect(try await server.request(.DELETE, path).status == .methodNotAllowed)
        }
    }

    @Test("Note bodies are validated; single-use note types allow one note per object")
    func validationAndSingleTypes() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let other = try await F.engagement(server, product: tree.product, name: "Other")
            let type = try await F.testType(server)
            let test = try await F.test(server, engagement: tree.engagement, type: type)
            let single = try await F.post(server, "note_type", #"{"name":"Summary","description":"once","is_single":true}"#)
            let path = "/api/v2/engagements/\(tree.engagement)/notes/"
            // Then: DRF field errors
            let missing = try await server.request(.POST, path, json: #"{"private":true}"#)
            #expect(missing.status == .badRequest)
            #expect(missing.json["entry"] == .array([.string("This field is required.")]))
            let blank = try await server.request(.POST, path, json: #"{"entry":""}"#)
            #expect(blank.json["entry"] == .array([.string("This field may not be blank.")]))
            let unknownType = try await server.request(.POST, path, json: #"{"entry":"x","note_type":42}"#)
            #expect(unknownType.json["note_type"] == .array([.string("Invalid pk \"42\" - object does not exist.")]))
            let badFlag = try await server.request(.POST, path, json: #"{"entry":"x","private":"maybe"}"#)
            #expect(badFlag.json["private"] == .array([.string("Must be a valid boolean.")]))
            let notObject = try await server.request(.POST, path, json: #"["entry"]"#)
            #expect(notObject.status == .badRequest)
            // a single-use type: once per object, with DefectDojo's bare-string body
            let typed = try await server.request(.POST, path, json: #"{"entry":"summary","note_type":\#(single)}"#)
            #expect(typed.status == .created)
            #expect(typed.json["note_type"]?.keys == ["id", "name", "description", "is_single", "is_active", "is_mandatory"])
            #expect(typed.json["note_type"]?["is_single"] == .bool(true))
            let again = try await server.request(.POST, path, json: #"{"entry":"again","note_type":\#(single)}"#)
            #expect(again.status == .badRequest)
            #expect(again.body == #""Only one instance of this note_type allowed on an engagement.""#)
            let onTest = try await server.request(.POST, "/api/v2/tests/\(test)/notes/", json: #"{"entry":"t","note_type":\#(single)}"#)
            #expect(onTest.status == .created)
            let againOnTest = try await server.request(.POST, "/api/v2/tests/\(test)/notes/", json: #"{"entry":"t","note_type":\#(single)}"#)
            #expect(againOnTest.body == #""Only one instance of this note_type allowed on a test.""#)
            let elsewhere = try await server.request(.POST, "/api/v2/engagements/\(other)/notes/", json: #"{"entry":"s","note_type":\#(single)}"#)
            #expect(elsewhere.status == .created)
            let testNotes = try await server.request(.GET, "/api/v2/tests/\(test)/notes/")
            #expect(testNotes.json.keys == ["test_id", "notes"])
            #expect(testNotes.json["notes"]?.items.count == 1)
        }
    }

    @Test("A page of objects gets each object's own notes")
    func notesPerObjectOnAPage() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server)
            var expected: [Int: [String]] = [tree.engagement: []]
            for index in 0..<4 {
                let id = try await F.engagement(server, product: tree.product, name: "E\(index)")
                expected[id] = []
                for entry in 0..<index {
                    _ = try await server.request(.POST, "/api/v2/engagements/\(id)/notes/", json: #"{"entry":"n\#(index)-\#(entry)"}"#)
                    expected[id, default: []].insert("n\(index)-\(entry)", at: 0)
                }
            }
            let page = try await server.request(.GET, "/api/v2/engagements/?limit=100")
            for item in page.json["results"]?.items ?? [] {
                let id = try #require(item["id"]?.intValue)
                #expect(item["notes"]?.items.compactMap { $0["entry"]?.stringValue } == expected[id])
            }
        }
    }

    @Test("notes/ is for superusers: list, retrieve, PUT and PATCH; an edit records editor and history")
    func notesResource() async throws {
        try await withTestServer { server in
            // Given
            let tree = try await F.engagementTree(server)
            let note = try await server.request(.POST, "/api/v2/engagements/\(tree.engagement)/notes/", json: #"{"entry":"draft"}"#)
            let id = try #require(note.json["id"]?.intValue)
            let member = try await F.member(server, "owner", product: tree.product, role: 4)
            let editor = try await server.makeUser("boss", superuser: true)
            // When
            let patched = try await server.request(.PATCH, "/api/v2/notes/\(id)/", token: editor.token, json: #"{"entry":"final","edited":false}"#)
            // Then
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(patched.json.keys == F.noteFields)
            #expect(patched.json["entry"] == .string("final"))
            #expect(patched.json["edited"] == .bool(true))
            #expect(patched.json["editor"]?["username"] == .string("boss"))
            #expect(patched.json["author"]?["username"] == .string("admin"))
            #expect(patched.json["history"]?.items.compactMap { $0["data"]?.stringValue } == ["draft", "final"])
            #expect(patched.json["history"]?.items.last?["current_editor"]?["username"] == .string("boss"))
            let put = try await server.request(.PUT, "/api/v2/notes/\(id)/", json: #"{"private":true}"#)
            #expect(put.json["entry"] == .array([.string("This field is required.")]))
            let list = try await server.request(.GET, "/api/v2/notes/")
            #expect(list.json.keys == ["count", "next", "previous", "results"])
            #expect(list.json["results"]?.items.first?.keys == F.noteFields)
            #expect(try await server.request(.GET, "/api/v2/notes/?edited=true").json["count"] == .int(1))
            #expect(try await server.request(.GET, "/api/v2/notes/?editor=\(editor.id)").json["count"] == .int(1))
            #expect(try await server.request(.GET, "/api/v2/notes/?author=\(editor.id)").json["count"] == .int(0))
            #expect(try await server.request(.GET, "/api/v2/notes/?private=true").json["count"] == .int(0))
            #expect(try await server.request(.GET, "/api/v2/notes/", token: member.token).status == .forbidden)
            #expect(try await server.request(.PATCH, "/api/v2/notes/\(id)/", token: member.token, json: #"{"entry":"x"}"#).status == .forbidden)
            #expect(try await server.request(.POST, "/api/v2/notes/", json: #"{"entry":"x"}"#).status == .methodNotAllowed)
            #expect(try await server.request(.DELETE, "/api/v2/notes/\(id)/").status == .methodNotAllowed)
        }
    }

    @Test("NoteService adds, finds and removes notes from Swift; NoteRendering renders them")
    func noteStoreAPI() async throws {
        try await withTestServer { server in
            let tree = try await F.engagementTree(server)
            let db = try server.sql
            let store = NoteService(db: db)
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let id = try await store.add(objectType: "engagement", objectID: tree.engagement, entry: "from swift", author: 1, now: now)
            #expect(try await store.noteIDs(objectType: "engagement", objectID: tree.engagement) == [id])
            let rendered = try #require(try await NoteRendering.note(id: id, db: db))
            #expect(rendered["date"] == .string("2023-11-14T22:13:20Z"))
            #expect(rendered["entry"] == .string("from swift"))
            #expect(try await store.remove(noteID: id, objectType: "engagement", objectID: tree.engagement + 1) == false)
            #expect(try await store.remove(noteID: id, objectType: "engagement", objectID: tree.engagement))
            #expect(try await NoteRendering.note(id: id, db: db) == nil)
            #expect(try await F.count(server, "SELECT COUNT(*) AS n FROM note_history") == 0)
        }
    }
}
