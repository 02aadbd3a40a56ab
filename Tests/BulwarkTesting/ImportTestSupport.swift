import BulwarkStorage
import Foundation
import SQLKit
import Vapor
import VaporTesting

/// A multipart/form-data body built by hand, the way curl and the DefectDojo clients send it.
public struct MultipartForm: Sendable {
    public static let boundary = "----BulwarkTestBoundary7MA4YWxkTrZu0gW"

    struct Part: Sendable {
        var name: String
        var filename: String?
        var bytes: [UInt8]
    }

    var parts: [Part] = []

    /// Text fields in order (repeat a name to send it several times), then an optional report.
    public init(_ fields: [(String, String)] = [], file: String? = nil, filename: String = "report.json") {
        for (name, value) in fields { add(name, value) }
        if let file { addFile(Array(file.utf8), filename: filename) }
    }

    public mutating func add(_ name: String, _ value: String) {
        parts.append(Part(name: name, filename: nil, bytes: Array(value.utf8)))
    }

    public mutating func addFile(_ bytes: [UInt8], filename: String, name: String = "file") {
        parts.append(Part(name: name, filename: filename, bytes: bytes))
    }

    public var contentType: String { "multipart/form-data; boundary=\(Self.boundary)" }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            out += Array("--\(Self.boundary)\r\n".utf8)
            var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            out += Array("\(disposition)\r\n".utf8)
            if part.filename != nil { out += Array("Content-Type: application/octet-stream\r\n".utf8) }
            out += Array("\r\n".utf8)
            out += part.bytes
            out += Array("\r\n".utf8)
        }
        out += Array("--\(Self.boundary)--\r\n".utf8)
        return out
    }
}

/// Small reports written for the import tests.
public enum ImportReports {
    /// One Generic Findings Import finding. `extra` is raw JSON members appended to the object (start with a comma).
    public struct Generic: Sendable {
        public var title: String
        public var severity: String
        public var description: String
        public var uid: String?
        public var cwe: Int
        public var file: String
        public var line: Int
        public var extra: String

        public init(_ title: String, severity: String = "High", description: String? = nil, uid: String? = nil, cwe: Int = 79,
                    file: String = "src/app.py", line: Int = 10, extra: String = "") {
            self.title = title
            self.severity = severity
            self.description = description ?? "Description of \(title)"
            self.uid = uid
            self.cwe = cwe
            self.file = file
            self.line = line
            self.extra = extra
        }

        var json: String {
            var members = [
                "\"title\": \(quote(title))", "\"severity\": \(quote(severity))", "\"description\": \(quote(description))",
                "\"cwe\": \(cwe)", "\"file_path\": \(quote(file))", "\"line\": \(line)",
            ]
            if let uid { members.append("\"unique_id_from_tool\": \(quote(uid))") }
            return "{" + members.joined(separator: ", ") + extra + "}"
        }
    }

    static func quote(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    /// A Generic Findings Import JSON document. `header` is raw JSON members placed before `findings` (end with a comma).
    public static func generic(_ findings: [Generic], header: String = "") -> String {
        "{\(header)\"findings\": [\n" + findings.map(\.json).joined(separator: ",\n") + "\n]}"
    }

    /// The three findings most tests use: High / Medium / Low.
    public static let threeFindings: [Generic] = [
        Generic("SQL Injection in login", severity: "High", uid: "GEN-1", cwe: 89, file: "src/login.py", line: 42),
        Generic("Reflected XSS in search", severity: "Medium", uid: "GEN-2", cwe: 79, file: "src/search.py", line: 7),
        Generic("Verbose server banner", severity: "Low", uid: "GEN-3", cwe: 200, file: "conf/nginx.conf", line: 3),
    ]

    /// A ZAP "Traditional XML" report: one High (CWE-89), one Medium (CWE-693), one Low (CWE-200) and one Info alert.
    public static let zap = """
        <?xml version="1.0"?>
        <OWASPZAPReport programName="ZAP" version="2.14.0" generated="Mon, 5 Feb 2024 10:00:00">
          <site name="https://shop.example.com" host="shop.example.com" port="443" ssl="true">
            <alerts>
              <alertitem>
                <pluginid>40018</pluginid>
                <alert>SQL Injection</alert>
                <name>SQL Injection</name>
                <riskcode>3</riskcode>
                <confidence>2</confidence>
                <desc>&lt;p&gt;SQL injection may be possible.&lt;/p&gt;</desc>
                <instances>
                  <instance><uri>https://shop.example.com/item?id=1</uri><method>GET</method><param>id</param><attack>1'</attack></instance>
                </instances>
                <count>1</count>
                <solution>&lt;p&gt;Use prepared statements.&lt;/p&gt;</solution>
                <reference>&lt;p&gt;https://owasp.org/www-community/attacks/SQL_Injection&lt;/p&gt;</reference>
                <cweid>89</cweid>
                <wascid>19</wascid>
              </alertitem>
              <alertitem>
                <pluginid>10038</pluginid>
                <alert>Content Security Policy (CSP) Header Not Set</alert>
                <riskcode>2</riskcode>
                <confidence>3</confidence>
                <desc>&lt;p&gt;CSP is missing.&lt;/p&gt;</desc>
                <instances>
                  <instance><uri>https://shop.example.com/</uri><method>GET</method></instance>
                </instances>
                <count>1</count>
                <solution>&lt;p&gt;Set the header.&lt;/p&gt;</solution>
                <cweid>693</cweid>
              </alertitem>
              <alertitem>
                <pluginid>10036</pluginid>
                <alert>Server Leaks Version Information</alert>
                <riskcode>1</riskcode>
                <confidence>3</confidence>
                <desc>&lt;p&gt;The server leaks its version.&lt;/p&gt;</desc>
                <instances>
                  <instance><uri>https://shop.example.com/robots.txt</uri><method>GET</method></instance>
                </instances>
                <count>1</count>
                <solution>&lt;p&gt;Hide it.&lt;/p&gt;</solution>
                <cweid>200</cweid>
              </alertitem>
              <alertitem>
                <pluginid>10027</pluginid>
                <alert>Information Disclosure - Suspicious Comments</alert>
                <riskcode>0</riskcode>
                <confidence>1</confidence>
                <desc>&lt;p&gt;A comment may disclose information.&lt;/p&gt;</desc>
                <instances>
                  <instance><uri>https://shop.example.com/app.js</uri><method>GET</method></instance>
                </instances>
                <count>1</count>
                <solution>&lt;p&gt;Remove comments.&lt;/p&gt;</solution>
                <cweid>200</cweid>
              </alertitem>
            </alerts>
          </site>
        </OWASPZAPReport>
        """

    /// A SARIF 2.1.0 log with two results of one rule; `fingerprints` become unique_id_from_tool.
    public static func sarif(first: (message: String, fingerprint: String) = ("User data flows into eval()", "fp-0001"),
                             second: (message: String, fingerprint: String) = ("Hard-coded password", "fp-0002")) -> String {
        """
        {
          "version": "2.1.0",
          "runs": [
            {
              "tool": {"driver": {"name": "Semgrep OSS", "version": "1.50.0", "rules": [
                {"id": "py.eval", "shortDescription": {"text": "Use of eval()"}, "defaultConfiguration": {"level": "error"}},
                {"id": "py.secret", "shortDescription": {"text": "Secret in code"}, "defaultConfiguration": {"level": "warning"}}
              ]}},
              "results": [
                {"ruleId": "py.eval", "level": "error", "message": {"text": "\(first.message)"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/views.py"}, "region": {"startLine": 42}}}],
                 "fingerprints": {"matchBasedId/v1": "\(first.fingerprint)"}},
                {"ruleId": "py.secret", "level": "warning", "message": {"text": "\(second.message)"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app/settings.py"}, "region": {"startLine": 7}}}],
                 "fingerprints": {"matchBasedId/v1": "\(second.fingerprint)"}}
              ]
            }
          ]
        }
        """
    }
}

extension TestServer {
    /// Sends raw bytes (multipart bodies may hold binary reports).
    public func send(
        _ method: HTTPMethod, _ path: String, token: String?? = .none, bytes: [UInt8], contentType: String
    ) async throws -> TestResponse {
        var headers = HTTPHeaders()
        if let effective = token ?? adminToken { headers.replaceOrAdd(name: .authorization, value: "Token \(effective)") }
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.add(name: .host, value: "testserver")
        let finalHeaders = headers
        let response = try await app.testing().sendRequest(method, "/", headers: finalHeaders, body: ByteBuffer(bytes: bytes)) { request in
            request.url = URI(string: path)
        }
        return TestResponse(status: response.status, headers: response.headers, body: response.body.string)
    }

    /// POSTs a multipart form to `import-scan/` or `reimport-scan/`.
    public func upload(_ endpoint: String, _ form: MultipartForm, token: String?? = .none) async throws -> TestResponse {
        try await send(.POST, "/api/v2/\(endpoint)/", token: token, bytes: form.bytes, contentType: form.contentType)
    }

    /// `SELECT COUNT(*)` of a table, optionally with a WHERE clause (trusted test text).
    public func count(_ table: String, where condition: String? = nil) async throws -> Int {
        let query = "SELECT COUNT(*) AS n FROM \(table)" + (condition.map { " WHERE \($0)" } ?? "")
        guard let row = try await sql.raw(SQLQueryString(query)).first() else { throw TestSupportError("no count for \(table)") }
        return try row.decode(column: "n", as: Int.self)
    }

    /// All findings of a test through the API, ordered by id.
    public func findings(test: Int) async throws -> [JSONValue] {
        let response = try await request(.GET, "/api/v2/findings/?test=\(test)&limit=1000&o=id")
        guard response.status == .ok else { throw TestSupportError("findings list: \(response.status) \(response.body)") }
        return response.json["results"]?.items ?? []
    }

    /// Note entries of a finding, newest first.
    public func noteEntries(finding: Int) async throws -> [String] {
        let response = try await request(.GET, "/api/v2/findings/\(finding)/notes/")
        guard response.status == .ok else { throw TestSupportError("notes: \(response.status) \(response.body)") }
        return response.json["notes"]?.items.compactMap { $0["entry"]?.stringValue } ?? []
    }
}

extension TestServer {
    /// Sends a report to `import-scan/` (or `reimport-scan/`) with `scan_type` first, then `fields`, then the file.
    public func importReport(
        _ endpoint: String = "import-scan", scanType: String = "Generic Findings Import", report: String?,
        filename: String = "report.json", fields: [(String, String)], token: String?? = .none
    ) async throws -> TestResponse {
        try await upload(endpoint, MultipartForm([("scan_type", scanType)] + fields, file: report, filename: filename), token: token)
    }

    /// Row counts of every table an import may write to.
    public func importFootprint() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in ["product_types", "products", "engagements", "tests", "test_types", "findings", "tags", "endpoints", "endpoint_status",
                      "vulnerability_ids", "notes", "test_imports", "test_import_finding_actions", "product_members", "product_type_members",
                      "development_environments", "finding_found_by"] {
            out[table] = try await count(table)
        }
        return out
    }
}

extension JSONValue {
    /// `block.total.total` of a statistics block (S): how many findings it counts.
    public var statTotal: Int? { self["total"]?["total"]?.intValue }
}
