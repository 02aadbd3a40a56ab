/// The parts of Dependency-Track's REST API v1 answers the connector reads.
enum DependencyTrackAPI {
    struct Project: Decodable {
        var uuid: String
        var name: String?
        var version: String?
        var classifier: String?
        var active: Bool?
        var tags: [Tag]?
    }

    struct Tag: Decodable { var name: String? }

    struct Finding: Decodable {
        var component: Component
        var vulnerability: Vulnerability
        var analysis: Analysis?
        var attribution: Attribution?
        var matrix: String?
    }

    struct Component: Decodable {
        var uuid: String?
        var name: String?
        var group: String?
        var version: String?
        var purl: String?
    }

    struct Vulnerability: Decodable {
        var uuid: String?
        var vulnId: String?
        var source: String?
        var title: String?
        var description: String?
        var recommendation: String?
        var severity: String?
        var cvssV3BaseScore: Double?
        var cweId: Int?
        var cwes: [CWE]?
        var aliases: [Alias]?
        var epssScore: Double?
        var epssPercentile: Double?
    }

    struct CWE: Decodable { var cweId: Int? }

    struct Alias: Decodable {
        var cveId: String?
        var ghsaId: String?
        var sonatypeId: String?
        var osvId: String?
        var snykId: String?
        var gsdId: String?
        var vulnDbId: String?
    }

    struct Analysis: Decodable {
        var state: String?
        var isSuppressed: Bool?
    }

    struct Attribution: Decodable {
        var analyzerIdentity: String?
        var attributedOn: String?
        var referenceUrl: String?
    }
}
