/// The parts of Semgrep's Web API v1 answers the connector reads.
enum SemgrepAPI {
    struct Deployments: Decodable { var deployments: [Deployment] }
    struct Deployment: Decodable {
        var id: Int?
        var name: String?
        var slug: String
    }

    struct Projects: Decodable { var projects: [Project] }
    struct Project: Decodable {
        var id: Int?
        var name: String
        var url: String?
        var tags: [String]?
    }

    struct Findings: Decodable { var findings: [Finding] }
    struct Finding: Decodable {
        var id: Int?
        var matchBasedID: String?
        var ref: String?
        var lineOfCodeURL: String?
        var status: String?
        var triageReason: String?
        var state: String?
        var severity: String?
        var createdAt: String?
        var stateUpdatedAt: String?
        var ruleName: String?
        var ruleMessage: String?
        var location: Location?
        var rule: Rule?
        var assistant: Assistant?
        var foundDependency: Dependency?
        var vulnerabilityIdentifier: String?
        var fixRecommendations: [Fix]?

        enum CodingKeys: String, CodingKey {
            case id, ref, status, state, severity, location, rule, assistant
            case matchBasedID = "match_based_id", lineOfCodeURL = "line_of_code_url", triageReason = "triage_reason"
            case createdAt = "created_at", stateUpdatedAt = "state_updated_at", ruleName = "rule_name", ruleMessage = "rule_message"
            case foundDependency = "found_dependency", vulnerabilityIdentifier = "vulnerability_identifier"
            case fixRecommendations = "fix_recommendations"
        }
    }

    struct Location: Decodable {
        var filePath: String?
        var line: Int?
        enum CodingKeys: String, CodingKey { case filePath = "file_path", line }
    }

    struct Rule: Decodable {
        var name: String?
        var message: String?
        var cweNames: [String]?
        enum CodingKeys: String, CodingKey { case name, message, cweNames = "cwe_names" }
    }

    struct Assistant: Decodable {
        var guidance: Guidance?
        var autofix: Autofix?
    }
    struct Guidance: Decodable {
        var summary: String?
        var instructions: String?
    }
    struct Autofix: Decodable {
        var fixCode: String?
        enum CodingKeys: String, CodingKey { case fixCode = "fix_code" }
    }

    struct Dependency: Decodable {
        var package: String?
        var version: String?
        var ecosystem: String?
    }

    struct Fix: Decodable {
        var package: String?
        var version: String?
    }
}
