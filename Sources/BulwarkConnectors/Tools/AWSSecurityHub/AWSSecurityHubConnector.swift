import BulwarkCore
import Foundation

/// AWS Security Hub (spec §7): every request SigV4-signed with an access key pair; records are
/// `(account, region)` pairs — the hub's own, the regions linked to a cross-region finding
/// aggregator, and every pair seen in the findings. One `GetFindings` listing (NextToken paging,
/// active and archived findings) per operation is routed to the records client-side.
public struct AWSSecurityHubConnector: GuidedConnector {
    public static let descriptor = ConnectorDescriptor(
        tool: "aws_security_hub", name: "AWS Security Hub", scanType: "AWS Security Hub Connector", dedupe: .uniqueIDFromTool(),
        requiredExtra: ["access_key_id"],
        optionalExtra: ["region", "session_token", "cross_region", "validation_call", "updated_within_days", "page_size"],
        requestsPerSecond: 2,
        permissions: "securityhub:DescribeHub, securityhub:ListFindingAggregators, securityhub:GetFindingAggregator and "
            + "securityhub:GetFindings (e.g. the AWSSecurityHubReadOnlyAccess managed policy)")

    public static let guide = ConnectorGuide(
        secret: "The secret access key of an IAM access key: IAM console → Users → (user) → Security credentials → Create access key. The user needs securityhub:DescribeHub, ListFindingAggregators, GetFindingAggregator and GetFindings, e.g. the managed policy AWSSecurityHubReadOnlyAccess.",
        location: "https://securityhub.<region>.amazonaws.com (the aggregation region when cross-region aggregation is on).",
        fields: [
            "access_key_id": "The access key id of the key whose secret is entered (required).",
            "region": "The region, when it cannot be read from the location.",
            "session_token": "The session token of temporary credentials.",
            "cross_region": "`off`: do not follow a cross-region finding aggregator.",
            "validation_call": "`get_findings`: validate with GetFindings instead of DescribeHub.",
            "updated_within_days": "Import findings updated within this many days (default 90; 0: all).",
        ])

    static let maxPages = 100_000

    let configuration: ConnectorConfiguration
    let client: ConnectorClient
    let listing = FetchOnce<[String: [Finding]]>()

    public init(configuration: ConnectorConfiguration, client: ConnectorClient) {
        self.configuration = configuration
        self.client = client
    }

    /// No secret in a header: every request is signed instead (``requestAdapter(_:)``).
    public static func authentication(_ configuration: ConnectorConfiguration) -> (primary: [HTTPHeader], fallback: [HTTPHeader]?) {
        ([], nil)
    }

    public static func requestAdapter(_ configuration: ConnectorConfiguration) -> (any RequestAdapter)? {
        let credentials = SigV4Signer.Credentials(accessKeyID: configuration.extra("access_key_id") ?? "", secretAccessKey: configuration.secret,
                                                  sessionToken: configuration.extra("session_token"))
        let region = region(location: configuration.location, extra: configuration.extra) ?? "us-east-1"
        return SecurityHubRequestAdapter(signer: SigV4Signer(credentials: credentials, region: region, service: "securityhub"), clock: { Date() })
    }

    public static func missingExtra(location: String, extra: [String: String]) -> [String] {
        var missing = descriptor.requiredExtra.filter { (extra[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if region(location: location, extra: extra) == nil { missing.append("region") }
        return missing
    }

    /// `extra.region`, else the region of a `securityhub[-fips].<region>.amazonaws.com[.cn]` location.
    static func region(location: String, extra: [String: String]) -> String? {
        if let region = extra["region"]?.trimmingCharacters(in: .whitespaces), !region.isEmpty { return region }
        guard let host = URLComponents(string: location)?.host?.lowercased() else { return nil }
        let labels = host.split(separator: ".")
        guard labels.count >= 4, labels[0].hasPrefix("securityhub"), labels[2] == "amazonaws" else { return nil }
        return String(labels[1])
    }

    var region: String { Self.region(location: configuration.location, extra: configuration.extra) ?? "us-east-1" }

    /// The moto-based CI test turns DescribeHub and the aggregator calls off (moto rejects signed GETs when authentication is on).
    var validatesWithFindings: Bool { configuration.extra("validation_call") == "get_findings" }
    var usesAggregator: Bool { configuration.extra("cross_region") != "off" && !validatesWithFindings }

    public func validate() async throws(ConnectorError) {
        if validatesWithFindings {
            _ = try await findingsPage(token: nil, size: 1)
        } else {
            _ = try await client.getJSON(SecurityHubAPI.Hub.self, "/accounts", call: "DescribeHub")
        }
    }

    public func discover() async throws(ConnectorError) -> [DiscoveredRecord] {
        var pairs: [(account: String, region: String)] = []
        func add(_ account: String, _ region: String) {
            guard !account.isEmpty, !region.isEmpty, !pairs.contains(where: { $0.account == account && $0.region == region }) else { return }
            pairs.append((account, region))
        }
        var hubAccount: String?
        if !validatesWithFindings {
            let hub = try await client.getJSON(SecurityHubAPI.Hub.self, "/accounts", call: "DescribeHub")
            let arn = hub.HubArn.split(separator: ":", omittingEmptySubsequences: false)
            if arn.count > 4 {
                hubAccount = String(arn[4])
                add(String(arn[4]), arn[3].isEmpty ? region : String(arn[3]))
            }
        }
        if usesAggregator, let account = hubAccount, let aggregator = try await findingAggregator() {
            add(account, aggregator.FindingAggregationRegion ?? region)
            if aggregator.RegionLinkingMode?.uppercased() == "SPECIFIED_REGIONS" {
                for linked in aggregator.Regions ?? [] { add(account, linked) }
            }
        }
        for key in try await allFindings().keys.sorted() {
            let parts = key.split(separator: "/", maxSplits: 1)
            if parts.count == 2 { add(String(parts[0]), String(parts[1])) }
        }
        return pairs.map { pair in
            DiscoveredRecord(externalID: SecurityHubMapping.recordID(account: pair.account, region: pair.region),
                             name: "AWS \(pair.account) \(pair.region)",
                             metadata: ["account": pair.account, "region": pair.region,
                                        "url": "https://\(pair.region).console.aws.amazon.com/securityhub/home?region=\(pair.region)#/findings"])
        }
    }

    /// The finding aggregator of the hub, if one is configured (ListFindingAggregators, then GetFindingAggregator).
    func findingAggregator() async throws(ConnectorError) -> SecurityHubAPI.Aggregator? {
        var token: String?
        var arn: String?
        var pages = 0
        repeat {
            var query = [("MaxResults", "100")]
            if let token { query.append(("NextToken", token)) }
            let page = try await client.getJSON(SecurityHubAPI.AggregatorList.self, "/findingAggregator/list", query: query,
                                                call: "ListFindingAggregators")
            arn = page.FindingAggregators?.first?.FindingAggregatorArn
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
            pages += 1
        } while arn == nil && token != nil && pages < 100
        guard let arn else { return nil }
        // A greedy path parameter: each segment of the ARN URI-encoded, its slashes kept.
        let path = "/findingAggregator/get/" + arn.split(separator: "/", omittingEmptySubsequences: false)
            .map { ConnectorClient.encode(String($0)) }.joined(separator: "/")
        return try await client.getJSON(SecurityHubAPI.Aggregator.self, path, call: "GetFindingAggregator")
    }

    public func findings(for record: DiscoveredRecord) async throws(ConnectorError) -> [Finding] {
        try await allFindings()[record.externalID] ?? []
    }

    /// Every finding the listing returns (active and archived), mapped and grouped by `"<account>/<region>"`; fetched once per operation.
    func allFindings() async throws(ConnectorError) -> [String: [Finding]] {
        let connector = self
        return try await listing.value { () async throws(ConnectorError) -> [String: [Finding]] in
            var grouped: [String: [Finding]] = [:]
            var token: String?
            var seen = Set<String>()
            var pages = 0
            let size = min(100, max(1, connector.configuration.pageSize(default: 100)))
            repeat {
                let page = try await connector.findingsPage(token: token, size: size)
                for item in page.Findings {
                    guard let account = item.AwsAccountId, !account.isEmpty else { continue }
                    let key = SecurityHubMapping.recordID(account: account, region: item.Region ?? connector.region)
                    grouped[key, default: []].append(SecurityHubMapping.finding(item))
                }
                token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
                pages += 1
                // A token that repeats would loop forever.
                if let next = token, !seen.insert(next).inserted { break }
            } while token != nil && pages < Self.maxPages
            return grouped
        }
    }

    /// One `GetFindings` page: every record state, updated within `extra.updated_within_days` (default 90; 0 = no limit).
    func findingsPage(token: String?, size: Int) async throws(ConnectorError) -> SecurityHubAPI.FindingsPage {
        let call = "GetFindings"
        var filters: [String: [SecurityHubAPI.Filter]] = [:]
        let days = configuration.extra("updated_within_days").flatMap(Int.init) ?? 90
        if days > 0 { filters["UpdatedAt"] = [SecurityHubAPI.Filter(DateRange: SecurityHubAPI.DateRange(Value: days, Unit: "DAYS"))] }
        let body = try ConnectorClient.jsonBody(SecurityHubAPI.FindingsRequest(Filters: filters, MaxResults: size, NextToken: token), call: call)
        return try await client.postJSON(SecurityHubAPI.FindingsPage.self, "/findings", json: body, call: call)
    }
}
