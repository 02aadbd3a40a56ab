import Foundation

/// Small fixtures of Bulwark's own that stand in when the shared connector fixtures are absent:
/// a Dependency-Track with one project ("shop 1.0") and three findings (one suppressed as a false
/// positive); `sync2` drops the first, so a second sync closes it by absence.
public enum ConnectorStandIns {
    public static let projectUUID = "0f000000-0000-4000-8000-000000000001"

    static func finding(_ number: Int, vulnID: String, severity: String, component: String, version: String, analysis: String) -> String {
        """
        {"component":{"uuid":"0c000000-0000-4000-8000-00000000000\(number)","name":"\(component)","version":"\(version)",
          "purl":"pkg:npm/\(component)@\(version)","project":"\(projectUUID)"},
         "vulnerability":{"uuid":"0e000000-0000-4000-8000-00000000000\(number)","vulnId":"\(vulnID)","source":"NVD",
          "description":"Stand-in vulnerability \(number).","severity":"\(severity)","cweId":79,"aliases":[]},
         "analysis":\(analysis),
         "attribution":{"analyzerIdentity":"INTERNAL_ANALYZER","attributedOn":"2026-10-0\(number) 10:00:00.000"},
         "matrix":"\(projectUUID):0c000000-0000-4000-8000-00000000000\(number):0e000000-0000-4000-8000-00000000000\(number)"}
        """
    }

    static var findings: [String] {
        [
            finding(1, vulnID: "CVE-2026-0001", severity: "HIGH", component: "left-pad", version: "1.0.0", analysis: #"{"isSuppressed":false}"#),
            finding(2, vulnID: "CVE-2026-0002", severity: "MEDIUM", component: "is-even", version: "0.1.0",
                    analysis: #"{"state":"EXPLOITABLE","isSuppressed":false}"#),
            finding(3, vulnID: "CVE-2026-0003", severity: "LOW", component: "is-odd", version: "0.1.0",
                    analysis: #"{"state":"FALSE_POSITIVE","isSuppressed":true}"#),
        ]
    }

    /// The Dependency-Track routes (any page size; one page).
    public static func dependencyTrack(sync2: Bool = false) -> [MockToolServer.Route] {
        let project = MockToolServer.Reply.json("""
            [{"uuid":"\(projectUUID)","name":"shop","version":"1.0","classifier":"APPLICATION","active":true,"tags":[]}]
            """, headers: [("X-Total-Count", "1")])
        let list = sync2 ? Array(findings.dropFirst()) : findings
        return [
            MockToolServer.Route("/api/v1/project", [project]),
            MockToolServer.Route("/api/v1/finding/project/\(projectUUID)", query: ["suppressed": "true"],
                                 [.json("[" + list.joined(separator: ",") + "]")]),
        ]
    }
}
