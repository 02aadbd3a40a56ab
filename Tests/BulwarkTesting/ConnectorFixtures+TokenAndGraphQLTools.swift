import Foundation

/// Route tables of the shared fixtures for Checkmarx ONE, Wiz, Burp Suite DAST and Probely,
/// following the fixtures README's request tables.
extension ConnectorFixtures {
    /// Checkmarx ONE: the token endpoint (refresh token `s3cr3t-token` only), two projects, their
    /// latest completed scans, and results with a second page for payments-api.
    public static func checkmarxOne(secret: String = "s3cr3t-token") throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "checkmarx_one"
        let payments = "2f1e0d9c-8b7a-4654-9382-7160a5b4c3d2", inventory = "6a5b4c3d-2e1f-4091-8273-6554a3b2c1d0"
        let paymentsScan = "b7c6d5e4-f3a2-4b1c-9d0e-8f7a6b5c4d3e", inventoryScan = "c8d7e6f5-a4b3-4c2d-8e1f-9a0b1c2d3e4f"
        func scans(_ project: String) -> [String: String] {
            ["project-id": project, "statuses": "Completed", "sort": "-created_at", "limit": "1"]
        }
        return [
            .tokenEndpoint("/auth/realms/acme/protocol/openid-connect/token",
                           form: ["grant_type": "refresh_token", "client_id": "ast-app", "refresh_token": secret], [try file(t, "token.json")]),
            Route("/api/projects/", query: ["offset": "0"], [try file(t, "projects.json")]),
            Route("/api/scans/", query: scans(payments), [try file(t, "scans_\(payments).json")]),
            Route("/api/scans/", query: scans(inventory), [try file(t, "scans_\(inventory).json")]),
            Route("/api/results/", query: ["scan-id": paymentsScan, "offset": "0", "limit": "3"], [try file(t, "results_\(paymentsScan)_page1.json")]),
            Route("/api/results/", query: ["scan-id": paymentsScan, "offset": "3", "limit": "3"], [try file(t, "results_\(paymentsScan)_page2.json")]),
            Route("/api/results/", query: ["scan-id": inventoryScan, "offset": "0", "limit": "3"], [try file(t, "results_\(inventoryScan)_page1.json")]),
        ]
    }

    /// Wiz: the token endpoint (client credentials `wiz-client` / `s3cr3t-token`), two projects, issues
    /// over two cursor pages for Payments Platform, vulnerability findings for Retail Web.
    public static func wiz(secret: String = "s3cr3t-token") throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "wiz"
        let payments = "8c1f3a52-7d4e-5b6a-9f0e-1a2b3c4d5e6f", retail = "4e5d6c7b-8a9f-5e0d-a1b2-c3d4e5f6a7b8"
        return [
            .tokenEndpoint("/oauth/token", form: ["grant_type": "client_credentials", "client_id": "wiz-client", "client_secret": secret,
                                                  "audience": "wiz-api"], [try file(t, "token.json")]),
            .graphQL("/graphql", operation: "Projects", [try file(t, "graphql_projects.json")]),
            .graphQL("/graphql", operation: "IssuesTable", variables: ["filterBy.project.0": payments],
                     [try file(t, "graphql_issues_\(payments)_page1.json")]),
            .graphQL("/graphql", operation: "IssuesTable", variables: ["filterBy.project.0": payments, "after": "eyJpZCI6IjlmMWM3YTJlLTAyIn0="],
                     [try file(t, "graphql_issues_\(payments)_page2.json")]),
            .graphQL("/graphql", operation: "IssuesTable", variables: ["filterBy.project.0": retail], [try file(t, "graphql_issues_\(retail)_page1.json")]),
            .graphQL("/graphql", operation: "VulnerabilityFindings", variables: ["filterBy.projectId.0": payments],
                     [try file(t, "graphql_vulnerability_findings_\(payments).json")]),
            .graphQL("/graphql", operation: "VulnerabilityFindings", variables: ["filterBy.projectId.0": retail],
                     [try file(t, "graphql_vulnerability_findings_\(retail).json")]),
        ]
    }

    /// Burp Suite DAST: the site tree, each site's latest scan, scan 21110's issues over pages of 3;
    /// `sync2` makes scan 21145 site 81's latest (SQL injection gone).
    public static func burpDAST(sync2: Bool = false) throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "burp_dast", path = "/graphql/v1"
        return [
            .graphQL(path, operation: "Validate", [.json(#"{"data":{"site_tree":{"sites":[{"id":"81"}]}}}"#)]),
            .graphQL(path, operation: "SiteTree", [try file(t, "graphql_site_tree.json")]),
            .graphQL(path, operation: "LatestScan", variables: ["site_id": "81"],
                     [try file(t, sync2 ? "graphql_scans_site_81_sync2.json" : "graphql_scans_site_81.json")]),
            .graphQL(path, operation: "LatestScan", variables: ["site_id": "82"], [try file(t, "graphql_scans_site_82.json")]),
            .graphQL(path, operation: "ScanIssues", variables: ["id": "21110", "start": "0"], [try file(t, "graphql_scan_21110_issues_page1.json")]),
            .graphQL(path, operation: "ScanIssues", variables: ["id": "21110", "start": "3"], [try file(t, "graphql_scan_21110_issues_page2.json")]),
            .graphQL(path, operation: "ScanIssues", variables: ["id": "21110", "start": "6"], [try file(t, "graphql_scan_21110_issues_page3.json")]),
            .graphQL(path, operation: "ScanIssues", variables: ["id": "21111", "start": "0"], [try file(t, "graphql_scan_21111_issues_page1.json")]),
            .graphQL(path, operation: "ScanIssues", variables: ["id": "21145", "start": "0"], [try file(t, "graphql_scan_21145_issues_page1.json")]),
        ]
    }

    /// Probely: the profile, three targets over two pages of 2, and each target's findings.
    public static func probely() throws -> [MockToolServer.Route]? {
        guard available else { return nil }
        let t = "probely"
        return [
            Route("/profile/", [try file(t, "profile.json")]),
            Route("/targets/", query: ["page": "1"], [try file(t, "targets_page1.json")]),
            Route("/targets/", query: ["page": "2"], [try file(t, "targets_page2.json")]),
        ] + (try ["3pX8vN1qR7sL", "7hK2cW9dJ4mP", "9aB3dF6gH8jK"].map { id in
            Route("/targets/\(id)/findings/", query: ["page": "1"], [try file(t, "findings_\(id)_page1.json")])
        })
    }
}
