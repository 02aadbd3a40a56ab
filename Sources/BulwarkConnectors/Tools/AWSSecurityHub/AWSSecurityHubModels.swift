/// The parts of AWS Security Hub's REST-JSON answers and of the ASFF finding format the connector reads.
enum SecurityHubAPI {
    struct Hub: Decodable {
        var HubArn: String
        var SubscribedAt: String?
    }

    struct AggregatorList: Decodable {
        var FindingAggregators: [AggregatorReference]?
        var NextToken: String?
    }
    struct AggregatorReference: Decodable { var FindingAggregatorArn: String }

    struct Aggregator: Decodable {
        var FindingAggregatorArn: String?
        var FindingAggregationRegion: String?
        var RegionLinkingMode: String?
        var Regions: [String]?
    }

    /// The `GetFindings` request body.
    struct FindingsRequest: Encodable {
        var Filters: [String: [Filter]]
        var MaxResults: Int
        var NextToken: String?
    }
    struct Filter: Encodable {
        var Value: String?
        var Comparison: String?
        var DateRange: DateRange?
    }
    struct DateRange: Encodable {
        var Value: Int
        var Unit: String
    }

    struct FindingsPage: Decodable {
        var Findings: [Finding]
        var NextToken: String?
    }

    struct Finding: Decodable {
        var Id: String
        var ProductArn: String?
        var ProductName: String?
        var CompanyName: String?
        var GeneratorId: String?
        var AwsAccountId: String?
        var Region: String?
        var Types: [String]?
        var FirstObservedAt: String?
        var LastObservedAt: String?
        var CreatedAt: String?
        var UpdatedAt: String?
        var Severity: Severity?
        var Title: String?
        var Description: String?
        var Remediation: Remediation?
        var ProductFields: StringMap?
        var Resources: [Resource]?
        var Compliance: Compliance?
        var Workflow: Workflow?
        var WorkflowState: String?
        var RecordState: String?
        var Vulnerabilities: [Vulnerability]?
    }
    struct Severity: Decodable {
        var Label: String?
        var Normalized: Double?
    }
    struct Remediation: Decodable { var Recommendation: Recommendation? }
    struct Recommendation: Decodable {
        var Text: String?
        var Url: String?
    }
    struct Resource: Decodable {
        var type: String?
        var Id: String?
        var Region: String?
        enum CodingKeys: String, CodingKey { case type = "Type", Id, Region }
    }
    struct Compliance: Decodable { var Status: String? }
    struct Workflow: Decodable { var Status: String? }
    struct Vulnerability: Decodable {
        var Id: String?
        var VulnerablePackages: [Package]?
        var Cvss: [Cvss]?
        var Vendor: Vendor?
        var ReferenceUrls: [String]?
        var FixAvailable: String?
    }
    struct Package: Decodable {
        var Name: String?
        var Version: String?
        var FixedInVersion: String?
        var Remediation: String?
        var FilePath: String?
        var PackageManager: String?
    }
    struct Cvss: Decodable {
        var Version: String?
        var BaseScore: Double?
        var BaseVector: String?
    }
    struct Vendor: Decodable { var Url: String? }

    /// A JSON object of strings; values of other types (or `null`) are skipped rather than failing the page.
    struct StringMap: Decodable {
        var values: [String: String] = [:]
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if let value = try? container.decode(String.self, forKey: key) { values[key.stringValue] = value }
            }
        }
        subscript(key: String) -> String? { values[key] }
    }
}
