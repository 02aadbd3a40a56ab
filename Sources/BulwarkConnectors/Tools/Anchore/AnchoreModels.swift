/// The parts of Anchore Enterprise's API v2 answers the connector reads. List envelopes are not
/// documented precisely (spec §11 open points): a bare array and an `items` object both decode.
enum AnchoreAPI {
    /// A JSON list sent bare or wrapped as `{"items": [...]}`.
    struct ListOf<Item: Decodable & Sendable>: Decodable, Sendable {
        var items: [Item]
        enum CodingKeys: String, CodingKey { case items }
        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var list: [Item] = []
                while !array.isAtEnd { list.append(try array.decode(Item.self)) }
                items = list
            } else {
                items = try decoder.container(keyedBy: CodingKeys.self).decode([Item].self, forKey: .items)
            }
        }
    }

    struct Application: Decodable {
        var application_id: String
        var name: String?
        var description: String?
        var application_versions: [Version]?
    }
    struct Version: Decodable {
        var application_version_id: String
        var version_name: String?
        var created_at: String?
    }

    struct Artifact: Decodable {
        var artifact_type: String?
        var image: Image?
    }
    struct Image: Decodable {
        var image_digest: String?
        var tag: String?
    }

    struct ImageVulnerabilities: Decodable {
        var image_digest: String?
        var vulnerabilities: [Vulnerability]?
    }
    struct Vulnerability: Decodable {
        var vuln: String
        var severity: String?
        var package: String?
        var package_name: String?
        var package_version: String?
        var package_type: String?
        var package_path: String?
        var fix: String?
        var url: String?
        var feed: String?
        var feed_group: String?
        var nvd_data: [NVD]?
        var will_not_fix: Bool?
        var detected_at: String?
        var inherited_from_base: Bool?
    }
    struct NVD: Decodable {
        var id: String?
        var cvss_v3: CVSS?
    }
    struct CVSS: Decodable { var base_score: Double? }
}
