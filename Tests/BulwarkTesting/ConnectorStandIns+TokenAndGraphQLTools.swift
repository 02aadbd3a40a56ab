import Foundation

/// Bulwark's own small fixtures for Checkmarx ONE, Wiz, Burp Suite DAST and Probely, standing in
/// when the shared fixtures are absent: each tool has one record with two findings, one open and
/// one in a closed state (false positive, resolved, or — for Burp — a second open issue).
extension ConnectorStandIns {
    public static let standInToken = "stand-in-access-token"
    static let tokenReply = MockToolServer.Reply.json(#"{"access_token":"stand-in-access-token","expires_in":600,"token_type":"Bearer"}"#)

    /// Checkmarx ONE: tenant `shop`, refresh token `k3y`, project `p-1` with scan `s-1`.
    public static func checkmarxOne() -> [MockToolServer.Route] {
        [
            .tokenEndpoint("/auth/realms/shop/protocol/openid-connect/token", form: ["refresh_token": "k3y"], [tokenReply]),
            MockToolServer.Route("/api/projects/", [.json(#"{"totalCount":1,"projects":[{"id":"p-1","name":"shop/web"}]}"#)]),
            MockToolServer.Route("/api/scans/", query: ["project-id": "p-1"], [.json(#"{"totalCount":1,"scans":[{"id":"s-1","status":"Completed"}]}"#)]),
            MockToolServer.Route("/api/results/", query: ["scan-id": "s-1"], [.json("""
                {"totalCount":2,"results":[
                 {"type":"sast","id":"r1","similarityId":"101","state":"TO_VERIFY","severity":"HIGH","firstFoundAt":"2026-10-01T00:00:00Z",
                  "data":{"queryId":18446744073709551615,"queryName":"Stored_XSS","nodes":[{"fileName":"/web/view.js","line":12}]},
                  "vulnerabilityDetails":{"cweId":79}},
                 {"type":"sca","id":"CVE-2026-1111","similarityId":"CVE-2026-1111","state":"NOT_EXPLOITABLE","severity":"LOW",
                  "data":{"packageIdentifier":"Npm-left-pad-1.0.0","recommendedVersion":"1.0.1"},"vulnerabilityDetails":{"cweId":"CWE-400"}}]}
                """)]),
        ]
    }

    /// Wiz: client `c-1` / secret `k3y`, project `w-1` with an open issue and a resolved vulnerability.
    public static func wiz() -> [MockToolServer.Route] {
        [
            .tokenEndpoint("/oauth/token", form: ["client_id": "c-1", "client_secret": "k3y"], [tokenReply]),
            .graphQL("/graphql", operation: "Projects", [.json(
                #"{"data":{"projects":{"nodes":[{"id":"w-1","name":"Shop","isFolder":false}],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}"#)]),
            .graphQL("/graphql", operation: "IssuesTable", [.json("""
                {"data":{"issues":{"nodes":[{"id":"i-1","status":"OPEN","severity":"HIGH","createdAt":"2026-10-02T00:00:00Z",
                 "sourceRule":{"__typename":"CloudConfigurationRule","name":"Bucket is public","remediationInstructions":"Block public access."},
                 "entitySnapshot":{"name":"shop-bucket","type":"BUCKET"}}],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}
                """)]),
            .graphQL("/graphql", operation: "VulnerabilityFindings", [.json("""
                {"data":{"vulnerabilityFindings":{"nodes":[{"id":"v-1","name":"CVE-2026-2222","severity":"MEDIUM","status":"RESOLVED",
                 "resolvedAt":"2026-11-01T00:00:00Z","detailedName":"openssl","version":"3.0.1","fixedVersion":"3.0.2"}],
                 "pageInfo":{"hasNextPage":false,"endCursor":null}}}}
                """)]),
        ]
    }

    /// Burp Suite DAST: key `k3y`, site `7` whose latest scan `70` has two issues.
    public static func burpDAST() -> [MockToolServer.Route] {
        let issue = { (index: String, name: String, severity: String, confidence: String, path: String) in
            """
            {"serial_number":"\(index)9","severity":"\(severity)","confidence":"\(confidence)","origin":"https://shop.example","path":"\(path)",
             "issue_type":{"type_index":"\(index)","name":"\(name)","vulnerability_classifications_html":"<a href=\\"https://cwe.mitre.org/data/definitions/79.html\\">CWE-79</a>"}}
            """
        }
        return [
            .graphQL("/graphql/v1", operation: "Validate", [.json(#"{"data":{"site_tree":{"sites":[]}}}"#)]),
            .graphQL("/graphql/v1", operation: "SiteTree", [.json(#"{"data":{"site_tree":{"sites":[{"id":"7","name":"Shop"}],"folders":[]}}}"#)]),
            .graphQL("/graphql/v1", operation: "LatestScan", [.json(#"{"data":{"scans":[{"id":"70","status":"succeeded","start_time":"2026-11-02T00:00:00Z"}]}}"#)]),
            .graphQL("/graphql/v1", operation: "ScanIssues", [.json("""
                {"data":{"scan":{"id":"70","issues":[\(issue("5", "XSS", "high", "certain", "/search")),\(issue("6", "Cookie without Secure", "low", "tentative", "/"))]}}}
                """)]),
        ]
    }

    /// Probely: key `k3y`, target `t-1` with a not-fixed and a fixed finding.
    public static func probely() -> [MockToolServer.Route] {
        [
            MockToolServer.Route("/profile/", [.json(#"{"id":"u-1"}"#)]),
            MockToolServer.Route("/targets/", [.json(#"{"count":1,"page":1,"page_total":1,"results":[{"id":"t-1","site":{"name":"Shop","url":"https://shop.example"}}]}"#)]),
            MockToolServer.Route("/targets/t-1/findings/", [.json("""
                {"count":2,"page":1,"page_total":1,"results":[
                 {"id":1,"definition":{"name":"SQL Injection","desc":"<p>Bad.</p>"},"url":"https://shop.example/api?id=1","severity":30,"state":"notfixed",
                  "first_found":"2026-10-03T00:00:00Z"},
                 {"id":2,"definition":{"name":"Missing HSTS"},"url":"https://shop.example/","severity":10,"state":"fixed","changed":"2026-11-03T00:00:00Z"}]}
                """)]),
        ]
    }
}
