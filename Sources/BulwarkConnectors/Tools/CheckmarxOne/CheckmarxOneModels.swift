/// The parts of Checkmarx ONE's REST API answers the connector reads.
enum CheckmarxOneAPI {
    struct Projects: Decodable {
        var totalCount: Int?
        var filteredTotalCount: Int?
        var projects: [Project]?
    }
    struct Project: Decodable {
        var id: String
        var name: String?
        var repoUrl: String?
        var mainBranch: String?
        var origin: String?
    }

    struct Scans: Decodable {
        var totalCount: Int?
        var scans: [Scan]?
    }
    struct Scan: Decodable {
        var id: String
        var status: String?
        var branch: String?
        var createdAt: String?
        var projectId: String?
    }

    struct Results: Decodable {
        var results: [Result]?
        var totalCount: Int?
    }
    struct Result: Decodable {
        var type: String?
        var id: String?
        var similarityId: NumberOrString?
        var status: String?
        var state: String?
        var severity: String?
        var firstFoundAt: String?
        var foundAt: String?
        var description: String?
        var descriptionHTML: String?
        var data: ResultData?
        var vulnerabilityDetails: VulnerabilityDetails?
    }
    struct ResultData: Decodable {
        var queryId: NumberOrString?
        var queryName: String?
        var group: String?
        var languageName: String?
        var nodes: [Node]?
        var packageIdentifier: String?
        var recommendations: String?
        var recommendedVersion: String?
        var fileName: String?
        var line: Int?
        var platform: String?
        var expectedValue: String?
        var value: String?
    }
    struct Node: Decodable {
        var fileName: String?
        var line: Int?
        var column: Int?
        var method: String?
        var name: String?
    }
    struct VulnerabilityDetails: Decodable {
        var cweId: NumberOrString?
        var cvssScore: Double?
        var cveName: String?
    }
}
