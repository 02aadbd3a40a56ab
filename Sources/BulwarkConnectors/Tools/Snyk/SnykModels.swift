/// The parts of Snyk's REST API (JSON:API) answers the connector reads.
enum SnykAPI {
    struct Links: Decodable { var next: String? }

    struct Orgs: Decodable {
        var data: [Org]
        var links: Links?
    }
    struct Org: Decodable {
        var id: String
        var attributes: OrgAttributes?
    }
    struct OrgAttributes: Decodable {
        var name: String?
        var slug: String?
    }

    struct Projects: Decodable {
        var data: [Project]
        var links: Links?
    }
    struct Project: Decodable {
        var id: String
        var attributes: ProjectAttributes?
        var relationships: ProjectRelationships?
    }
    struct ProjectAttributes: Decodable {
        var name: String?
        var type: String?
        var status: String?
        var targetFile: String?
        enum CodingKeys: String, CodingKey { case name, type, status, targetFile = "target_file" }
    }
    struct ProjectRelationships: Decodable { var target: Relationship? }
    struct Relationship: Decodable { var data: Reference? }
    struct Reference: Decodable { var id: String? }

    struct Issues: Decodable {
        var data: [Issue]
        var links: Links?
    }
    struct Issue: Decodable {
        var id: String
        var attributes: IssueAttributes
    }
    struct IssueAttributes: Decodable {
        var key: String?
        var title: String?
        var description: String?
        var type: String?
        var status: String?
        var ignored: Bool?
        var effectiveSeverityLevel: String?
        var createdAt: String?
        var resolution: Resolution?
        var problems: [Problem]?
        var classes: [IssueClass]?
        var coordinates: [Coordinate]?
        var risk: Risk?
        var severities: [SeverityScore]?
        enum CodingKeys: String, CodingKey {
            case key, title, description, type, status, ignored, resolution, problems, classes, coordinates, risk, severities
            case effectiveSeverityLevel = "effective_severity_level", createdAt = "created_at"
        }
    }
    struct Resolution: Decodable {
        var type: String?
        var resolvedAt: String?
        enum CodingKeys: String, CodingKey { case type, resolvedAt = "resolved_at" }
    }
    struct Problem: Decodable {
        var id: String?
        var source: String?
        var url: String?
    }
    struct IssueClass: Decodable {
        var id: String?
        var source: String?
    }
    struct Coordinate: Decodable {
        var isUpgradeable: Bool?
        var remedies: [Remedy]?
        var representations: [Representation]?
        enum CodingKeys: String, CodingKey { case isUpgradeable = "is_upgradeable", remedies, representations }
    }
    struct Remedy: Decodable { var description: String? }
    struct Representation: Decodable {
        var dependency: Dependency?
        var sourceLocation: SourceLocation?
    }
    struct Dependency: Decodable {
        var packageName: String?
        var packageVersion: String?
        enum CodingKeys: String, CodingKey { case packageName = "package_name", packageVersion = "package_version" }
    }
    struct SourceLocation: Decodable {
        var file: String?
        var region: Region?
    }
    struct Region: Decodable { var start: Position? }
    struct Position: Decodable { var line: Int? }
    struct Risk: Decodable { var score: Score? }
    struct Score: Decodable { var value: Double? }
    struct SeverityScore: Decodable {
        var version: String?
        var score: Double?
        var vector: String?
    }
}
