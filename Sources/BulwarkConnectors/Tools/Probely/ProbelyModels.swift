/// The parts of Probely's REST API answers the connector reads.
enum ProbelyAPI {
    struct Page<Item: Decodable & Sendable>: Decodable, Sendable {
        var count: Int?
        var page: Int?
        var page_total: Int?
        var results: [Item]?
    }

    struct Target: Decodable, Sendable {
        var id: String
        var name: String?
        var site: Site?
        var environment: String?
        var labels: [Label]?
    }
    struct Site: Decodable, Sendable {
        var id: String?
        var name: String?
        var url: String?
    }
    struct Label: Decodable, Sendable { var name: String? }

    struct Finding: Decodable, Sendable {
        var id: NumberOrString
        var definition: Definition?
        var url: String?
        var path: String?
        var method: String?
        var parameter: String?
        var insertion_point: String?
        var severity: Int?
        var state: String?
        var cvss_score: Double?
        var cvss_vector: String?
        var first_found: String?
        var last_found: String?
        var changed: String?
        var fix: String?
        var evidence: String?
        var requests: [Exchange]?
    }
    struct Definition: Decodable, Sendable {
        var id: String?
        var name: String?
        var desc: String?
    }
    struct Exchange: Decodable, Sendable {
        var request: String?
        var response: String?
    }

    struct Profile: Decodable, Sendable { var id: String? }
}
