/// The parts of SonarQube's Web API answers the connector reads (unknown fields ignored).
enum SonarQubeAPI {
    struct Validation: Decodable { var valid: Bool? }

    struct Paging: Decodable {
        var pageIndex: Int?
        var pageSize: Int?
        var total: Int?
    }

    struct ComponentPage: Decodable {
        var paging: Paging?
        var components: [Component]
    }

    struct Component: Decodable {
        var key: String
        var name: String?
        var qualifier: String?
    }

    struct IssuePage: Decodable {
        var paging: Paging?
        var total: Int?
        var issues: [Issue]
    }

    struct Issue: Decodable {
        var key: String
        var rule: String?
        var severity: String?
        var component: String?
        var project: String?
        var line: Int?
        var status: String?
        var resolution: String?
        var issueStatus: String?
        var message: String?
        var tags: [String]?
        var creationDate: String?
        var updateDate: String?
        var type: String?
        var impacts: [Impact]?
    }

    struct Impact: Decodable {
        var softwareQuality: String?
        var severity: String?
    }

    struct HotspotPage: Decodable {
        var paging: Paging?
        var hotspots: [Hotspot]
    }

    struct Hotspot: Decodable {
        var key: String
        var component: String?
        var project: String?
        var securityCategory: String?
        var vulnerabilityProbability: String?
        var status: String?
        var resolution: String?
        var line: Int?
        var message: String?
        var creationDate: String?
        var updateDate: String?
        var ruleKey: String?
    }

    struct RuleAnswer: Decodable { var rule: Rule }

    struct Rule: Decodable {
        var key: String?
        var name: String?
        var htmlDesc: String?
        var descriptionSections: [Section]?
    }

    struct Section: Decodable {
        var key: String?
        var content: String?
    }
}
