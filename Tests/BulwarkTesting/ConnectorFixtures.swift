import Foundation

/// The shared connector fixtures (`../shared/fixtures/connectors/<tool>/`) as mock-server route
/// tables, following the request table of their README. `nil` when the shared folder is absent:
/// conformance tests skip then, and ``ConnectorStandIns`` serve instead.
public enum ConnectorFixtures {
    /// `<worktree>/../shared/fixtures/connectors`.
    /// (Symlinks resolved: the connector lab links this file from `.build-connectorlab/`.)
    public static let folder: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/connectors")

    public static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path) }

    static func file(_ tool: String, _ name: String, status: Int = 200, headers: [(String, String)] = []) throws -> MockToolServer.Reply {
        let data = try Data(contentsOf: folder.appendingPathComponent(tool).appendingPathComponent(name))
        return MockToolServer.Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }

    typealias Route = MockToolServer.Route

    /// SonarQube: two projects; the rules/show route answers one rule, others 404.
    public static func sonarqube() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "sonarqube"
        return [
            Route("/api/authentication/validate", [try file(t, "authentication_validate.json")]),
            Route("/api/components/search", query: ["qualifiers": "TRK", "p": "1"], [try file(t, "components_search.json")]),
            Route("/api/components/search", query: ["qualifiers": "TRK", "ps": "1"], [try file(t, "components_search.json")]),
            Route("/api/issues/search", query: ["componentKeys": "acme:payments-api", "p": "1", "ps": "3"], [try file(t, "issues_search_payments_page1.json")]),
            Route("/api/issues/search", query: ["componentKeys": "acme:payments-api", "p": "2", "ps": "3"], [try file(t, "issues_search_payments_page2.json")]),
            Route("/api/issues/search", query: ["componentKeys": "acme:inventory-web", "p": "1", "ps": "3"], [try file(t, "issues_search_inventory_page1.json")]),
            Route("/api/hotspots/search", query: ["projectKey": "acme:payments-api", "p": "1"], [try file(t, "hotspots_search_payments.json")]),
            Route("/api/hotspots/search", query: ["projectKey": "acme:inventory-web", "p": "1"], [try file(t, "hotspots_search_inventory.json")]),
            Route("/api/rules/show", query: ["key": "javasecurity:S3649"], [try file(t, "rules_show_javasecurity_S3649.json")]),
        ]
    }

    /// Dependency-Track: three projects over two pages; `sync2` swaps payments-api's findings.
    public static func dependencyTrack(sync2: Bool = false) throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "dependency_track"
        let payments = "3f2b6a3e-6c1d-4c1a-9d7e-0b5f1a2c3d41", inventory = "8a7c2e10-44f1-4b0e-a2d3-5e6f7a8b9c02"
        let legacy = "c1d2e3f4-1111-4aaa-8bbb-2c3d4e5f6a03"
        let total = [("X-Total-Count", "3")]
        return [
            Route("/api/v1/project", query: ["pageNumber": "1", "pageSize": "1"], [try file(t, "project_page1.json", headers: total)]),
            Route("/api/v1/project", query: ["pageNumber": "1", "pageSize": "2"], [try file(t, "project_page1.json", headers: total)]),
            Route("/api/v1/project", query: ["pageNumber": "2", "pageSize": "2"], [try file(t, "project_page2.json", headers: total)]),
            Route("/api/v1/finding/project/\(payments)", query: ["suppressed": "true"],
                  [try file(t, sync2 ? "finding_project_\(payments)_sync2.json" : "finding_project_\(payments).json")]),
            Route("/api/v1/finding/project/\(inventory)", query: ["suppressed": "true"], [try file(t, "finding_project_\(inventory).json")]),
            Route("/api/v1/finding/project/\(legacy)", query: ["suppressed": "true"], [try file(t, "finding_project_\(legacy).json")]),
        ]
    }

    /// Semgrep: one deployment, two projects, SAST and SCA findings with empty pages ending each list.
    public static func semgrep() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "semgrep"
        let findings = "/deployments/acme-corp/findings"
        func page(_ repo: String, _ type: String, _ page: Int, _ name: String?) throws -> Route {
            Route(findings, query: ["repos": "acme/\(repo)", "issue_type": type, "page": "\(page)"],
                  [try name.map { try file(t, $0) } ?? .json(#"{"findings":[]}"#)])
        }
        return [
            Route("/deployments", [try file(t, "deployments.json")]),
            Route("/deployments/acme-corp/projects", query: ["page": "0"], [try file(t, "projects_page0.json")]),
            Route("/deployments/acme-corp/projects", query: ["page": "1"], [try file(t, "projects_page1.json")]),
            try page("payments-api", "sast", 0, "findings_payments-api_sast_page0.json"),
            try page("payments-api", "sast", 1, "findings_payments-api_sast_page1.json"),
            try page("payments-api", "sca", 0, "findings_payments-api_sca_page0.json"),
            try page("inventory-web", "sast", 0, "findings_inventory-web_sast_page0.json"),
            try page("inventory-web", "sca", 0, "findings_inventory-web_sca_page0.json"),
            try page("inventory-web", "sca", 1, "findings_inventory-web_sca_page1.json"),
        ]
    }

    /// Snyk: one org, three projects over two cursor pages, issues with a cursor page for the first project.
    public static func snyk() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "snyk"
        let org = "7d3c1a52-5f1e-4b7a-9c0e-2a6b8d4f1e90"
        let first = "4f6a2b1c-8d3e-4a5f-b6c7-d8e9f0a1b2c3", sast = "9b8a7c6d-5e4f-4321-8a9b-0c1d2e3f4a5b"
        let web = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
        let issues = "/orgs/\(org)/issues"
        return [
            Route("/self", [try file(t, "self.json")]),
            Route("/orgs", [try file(t, "orgs.json")]),
            Route("/orgs/\(org)/projects", query: ["limit": "2"], [try file(t, "projects_page1.json")]),
            Route("/orgs/\(org)/projects", query: ["limit": "2", "starting_after": "v1.eyJpZCI6MTAwMn0="], [try file(t, "projects_page2.json")]),
            Route(issues, query: ["scan_item.id": first, "scan_item.type": "project", "limit": "2"], [try file(t, "issues_\(first)_page1.json")]),
            Route(issues, query: ["scan_item.id": first, "scan_item.type": "project", "limit": "2", "starting_after": "v1.eyJrIjoiYTEifQ=="],
                  [try file(t, "issues_\(first)_page2.json")]),
            Route(issues, query: ["scan_item.id": sast], [try file(t, "issues_\(sast)_page1.json")]),
            Route(issues, query: ["scan_item.id": web], [try file(t, "issues_\(web)_page1.json")]),
        ]
    }

    /// AWS Security Hub: the hub, one aggregator linking two regions, two GetFindings pages (the second by NextToken).
    public static func awsSecurityHub() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "aws_security_hub"
        let aggregator = "arn:aws:securityhub:us-east-1:123456789012:finding-aggregator/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
        return [
            Route("/accounts", [try file(t, "describe_hub.json")]),
            Route("/findingAggregator/list", [try file(t, "list_finding_aggregators.json")]),
            Route("/findingAggregator/get/\(aggregator)", [try file(t, "get_finding_aggregator.json")]),
            Route("/findings", method: "POST", bodyContains: [], [try file(t, "get_findings_page1.json")]),
            Route("/findings", method: "POST", bodyContains: [#""NextToken":"U2FtcGxlTmV4dFRva2VuLXBhZ2UtMg==""#],
                  [try file(t, "get_findings_page2.json")]),
        ]
    }

    /// A Security Hub error reply from the fixtures: `x-amzn-ErrorType` names the AWS error type.
    public static func awsError(_ name: String, status: Int, type: String) throws -> MockToolServer.Reply? {
        guard available else { return nil }
        return try file("aws_security_hub", name, status: status, headers: [("x-amzn-ErrorType", type)])
    }

    /// Tenable.io: three scans; one export whose status is PROCESSING on the first poll, then FINISHED with two chunks.
    public static func tenableIO() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "tenable_io"
        let export = "/vulns/export/6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f"
        let processing = MockToolServer.Reply.json(#"{"status":"PROCESSING","chunks_available":[],"chunks_failed":[],"chunks_cancelled":[]}"#)
        return [
            Route("/scans", [try file(t, "scans.json")]),
            Route("/vulns/export", method: "POST", bodyContains: [#""state":["OPEN","REOPENED","FIXED"]"#], [try file(t, "vulns_export_request.json")]),
            Route("\(export)/status", [processing, try file(t, "vulns_export_status.json")]),
            Route("\(export)/chunks/1", [try file(t, "vulns_export_chunk_1.json")]),
            Route("\(export)/chunks/2", [try file(t, "vulns_export_chunk_2.json")]),
        ]
    }

    /// Anchore Enterprise: two applications, their latest versions' images, each image's vulnerabilities.
    public static func anchore() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "anchore"
        let payments = "5f0c8e7a-2b1d-4c3e-9f8a-7b6c5d4e3f21", paymentsVersion = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e1"
        let inventory = "8d9e0f1a-2b3c-4d5e-8f6a-7b8c9d0e1f32", inventoryVersion = "1b2c3d4e-5f60-4172-8384-a5b6c7d8e9f2"
        let digests = ["2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819",
                       "4c7f1e2d3b5a69788a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f",
                       "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"]
        return [
            Route("/v2/applications", [try file(t, "applications.json")]),
            Route("/v2/applications/\(payments)/versions/\(paymentsVersion)/artifacts",
                  [try file(t, "artifacts_\(payments)_\(paymentsVersion).json")]),
            Route("/v2/applications/\(inventory)/versions/\(inventoryVersion)/artifacts",
                  [try file(t, "artifacts_\(inventory)_\(inventoryVersion).json")]),
        ] + (try digests.map { Route("/v2/images/sha256:\($0)/vuln/all", [try file(t, "image_vuln_all_sha256_\($0).json")]) })
    }
}
