@testable import BulwarkAPI
import BulwarkTesting
import Foundation
import Testing

@Suite("Multipart parser: streaming, chunk boundaries, malformed input")
struct MultipartStreamParserTests {
    /// Parts as (headers, body text) after feeding `body` in chunks of `chunkSize` bytes.
    static func parse(_ body: [UInt8], boundary: String, chunkSize: Int) throws -> [(headers: [String: String], body: String)] {
        let parser = MultipartStreamParser(boundary: boundary)
        var parts: [(headers: [String: String], body: String)] = []
        var headers: [String: String] = [:], bytes: [UInt8] = []
        parser.onHeaders = { list in headers = Dictionary(list.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 }) }
        parser.onBody = { bytes += $0 }
        parser.onPartComplete = { parts.append((headers, String(decoding: bytes, as: UTF8.self))); headers = [:]; bytes = [] }
        var start = 0
        while start < body.count {
            try parser.feed(body[start..<min(body.count, start + chunkSize)])
            start += chunkSize
        }
        try parser.finish()
        return parts
    }

    @Test("Every chunk size gives the same parts, with a preamble, a body holding boundary-like text, and an epilogue")
    func chunkBoundaries() throws {
        var form = MultipartForm([("scan_type", "ZAP Scan"), ("tags", "a"), ("tags", "b")])
        form.addFile(Array("line 1\r\n--not-the-boundary\r\n------BulwarkTestBoundary\r\nend".utf8), filename: "r.txt")
        let body = Array("preamble to ignore\r\n".utf8) + form.bytes + Array("epilogue".utf8)
        let expected = try Self.parse(body, boundary: MultipartForm.boundary, chunkSize: body.count)
        #expect(expected.map(\.body) == ["ZAP Scan", "a", "b", "line 1\r\n--not-the-boundary\r\n------BulwarkTestBoundary\r\nend"])
        #expect(expected[3].headers["content-disposition"] == #"form-data; name="file"; filename="r.txt""#)
        for size in 1...80 {
            let parts = try Self.parse(body, boundary: MultipartForm.boundary, chunkSize: size)
            #expect(parts.map(\.body) == expected.map(\.body), "chunk size \(size)")
        }
    }

    @Test("A body of many tiny parts in one chunk parses every part (parsing moves an index, not the bytes)")
    func manyTinyParts() throws {
        let count = 50_000
        let body = Array(String(repeating: "--b\r\n\r\nx\r\n", count: count).utf8) + Array("--b--\r\n".utf8)
        let parts = try Self.parse(body, boundary: "b", chunkSize: body.count)
        #expect(parts.count == count)
        #expect(parts.allSatisfy { $0.body == "x" && $0.headers.isEmpty })
    }

    @Test("Malformed bodies throw instead of trapping: non-ASCII header names, a missing closing boundary, junk after a boundary")
    func malformed() {
        let boundary = "XyZ"
        let bodies = [
            "--XyZ\r\n\u{F2}\u{8C}: x\r\n\r\nvalue\r\n--XyZ--\r\n",
            "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end",
            "--XyZjunk\r\n\r\nvalue\r\n--XyZ--",
            "--XyZ\r\n: no name\r\n\r\nvalue\r\n--XyZ--",
            "no boundary at all",
        ]
        for body in bodies {
            #expect(throws: MultipartStreamParser.Malformed.self, "\(body.debugDescription)") {
                _ = try Self.parse(Array(body.utf8), boundary: boundary, chunkSize: 3)
            }
        }
    }

    @Test("A CRUD request whose multipart header name is not ASCII gets 400 and the server keeps serving")
    func crudBodyWithBadHeader() async throws {
        try await withTestServer { server in
            let body: [UInt8] = Array("--b\r\n".utf8) + [0xF2, 0x8C, 0xB9, 0x8F] + Array("\r\n\r\nx\r\n--b--\r\n".utf8)
            let response = try await server.send(.POST, "/api/v2/product_types/", bytes: body, contentType: "multipart/form-data; boundary=b")
            #expect(response.status == .badRequest)
            #expect(response.json["message"]?.stringValue?.hasPrefix("Multipart form parse error") == true)
            #expect(try await server.request(.GET, "/api/v2/product_types/").status == .ok)
        }
    }
}
