/// The parts of Wiz's GraphQL answers the connector reads, and the variables it sends.
enum WizAPI {
    struct PageInfo: Decodable, Sendable {
        var hasNextPage: Bool?
        var endCursor: String?
    }

    struct ProjectsData: Decodable, Sendable { var projects: Connection<Project> }
    struct IssuesData: Decodable, Sendable { var issues: Connection<Issue> }
    struct VulnerabilitiesData: Decodable, Sendable { var vulnerabilityFindings: Connection<Vulnerability> }

    struct Connection<Node: Decodable & Sendable>: Decodable, Sendable {
        var nodes: [Node]?
        var pageInfo: PageInfo?
    }

    struct Project: Decodable, Sendable {
        var id: String
        var name: String?
        var slug: String?
        var isFolder: Bool?
        var businessUnit: String?
    }

    struct Issue: Decodable, Sendable {
        var id: String
        var sourceRule: SourceRule?
        var type: String?
        var createdAt: String?
        var resolvedAt: String?
        var statusChangedAt: String?
        var resolutionReason: String?
        var status: String?
        var severity: String?
        var entitySnapshot: Entity?
    }
    struct SourceRule: Decodable, Sendable {
        var typename: String?
        var id: String?
        var name: String?
        var controlDescription: String?
        var resolutionRecommendation: String?
        var cloudConfigurationRuleDescription: String?
        var remediationInstructions: String?
        var cloudEventRuleDescription: String?
        enum CodingKeys: String, CodingKey {
            case typename = "__typename", id, name, controlDescription, resolutionRecommendation, cloudConfigurationRuleDescription
            case remediationInstructions, cloudEventRuleDescription
        }
    }
    struct Entity: Decodable, Sendable {
        var id: String?
        var type: String?
        var nativeType: String?
        var name: String?
        var region: String?
        var cloudPlatform: String?
        var subscriptionExternalId: String?
        var subscriptionName: String?
        var providerId: String?
    }

    struct Vulnerability: Decodable, Sendable {
        var id: String
        var portalUrl: String?
        var name: String?
        var CVEDescription: String?
        var score: Double?
        var severity: String?
        var status: String?
        var firstDetectedAt: String?
        var resolvedAt: String?
        var description: String?
        var remediation: String?
        var detailedName: String?
        var version: String?
        var fixedVersion: String?
        var link: String?
        var locationPath: String?
        var vulnerableAsset: Asset?
    }
    struct Asset: Decodable, Sendable {
        var id: String?
        var type: String?
        var name: String?
        var region: String?
        var cloudPlatform: String?
        var subscriptionName: String?
        var subscriptionExternalId: String?
    }

    struct PageVariables: Encodable, Sendable {
        var first: Int
        var after: String?
    }
    struct IssueVariables: Encodable, Sendable {
        struct Filter: Encodable, Sendable {
            var project: [String]?
            var status = ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"]
        }
        struct Order: Encodable, Sendable {
            var field = "SEVERITY"
            var direction = "DESC"
        }
        var first: Int
        var after: String?
        var filterBy: Filter
        var orderBy = Order()
    }
    struct VulnerabilityVariables: Encodable, Sendable {
        struct Filter: Encodable, Sendable { var projectId: [String]? }
        var first: Int
        var after: String?
        var filterBy: Filter
    }

    static let projectsQuery = """
        query Projects($first: Int, $after: String) {
          projects(first: $first, after: $after) {
            nodes { id name slug isFolder businessUnit description }
            pageInfo { hasNextPage endCursor }
            totalCount
          }
        }
        """

    static let issuesQuery = """
        query IssuesTable($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
          issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
            nodes {
              id
              sourceRule {
                __typename
                ... on Control { id name controlDescription: description resolutionRecommendation }
                ... on CloudConfigurationRule { id name cloudConfigurationRuleDescription: description remediationInstructions serviceType }
                ... on CloudEventRule { id name cloudEventRuleDescription: description }
              }
              type createdAt updatedAt resolvedAt statusChangedAt resolutionReason status severity
              entitySnapshot { id type nativeType name region cloudPlatform subscriptionExternalId subscriptionName providerId externalId }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """

    static let vulnerabilitiesQuery = """
        query VulnerabilityFindings($filterBy: VulnerabilityFindingFilters, $first: Int, $after: String) {
          vulnerabilityFindings(filterBy: $filterBy, first: $first, after: $after) {
            nodes {
              id portalUrl name CVEDescription CVSSSeverity score severity status firstDetectedAt lastDetectedAt resolvedAt
              description remediation detailedName version fixedVersion link locationPath
              vulnerableAsset { ... on VulnerableAssetBase { id type name region cloudPlatform subscriptionName subscriptionExternalId } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """
}
