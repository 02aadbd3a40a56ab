/// The parts of Burp Suite DAST's GraphQL answers the connector reads, and the variables it sends.
enum BurpDASTAPI {
    struct SiteTreeData: Decodable, Sendable { var site_tree: SiteTree }
    struct SiteTree: Decodable, Sendable {
        var sites: [Site]?
        var folders: [Folder]?
    }
    struct Site: Decodable, Sendable {
        var id: String
        var parent_id: String?
        var name: String?
        var scope_v2: Scope?
    }
    struct Scope: Decodable, Sendable { var start_urls: [String]? }
    struct Folder: Decodable, Sendable {
        var id: String
        var parent_id: String?
        var name: String?
    }

    struct ScansData: Decodable, Sendable { var scans: [Scan]? }
    struct Scan: Decodable, Sendable {
        var id: String
        var status: String?
        var start_time: String?
        var issue_counts: IssueCounts?
    }
    struct IssueCounts: Decodable, Sendable { var total: Int? }

    struct ScanData: Decodable, Sendable { var scan: ScanIssues? }
    struct ScanIssues: Decodable, Sendable {
        var id: String?
        var issues: [Issue]?
    }
    struct Issue: Decodable, Sendable {
        var serial_number: String?
        var severity: String?
        var confidence: String?
        var path: String?
        var origin: String?
        var description_html: String?
        var remediation_html: String?
        var issue_type: IssueType?
    }
    struct IssueType: Decodable, Sendable {
        var type_index: String?
        var name: String?
        var description_html: String?
        var remediation_html: String?
        var vulnerability_classifications_html: String?
        var references_html: String?
    }

    struct NoVariables: Encodable, Sendable {}
    struct SiteVariables: Encodable, Sendable { var site_id: String }
    struct IssueVariables: Encodable, Sendable {
        var id: String
        var start: Int
        var count: Int
    }

    static let validateQuery = "query Validate { site_tree { sites { id } } }"

    static let siteTreeQuery = """
        query SiteTree {
          site_tree {
            sites { id parent_id name scope_v2 { start_urls in_scope_url_prefixes out_of_scope_url_prefixes } }
            folders { id parent_id name }
          }
        }
        """

    static let latestScanQuery = """
        query LatestScan($site_id: ID!) {
          scans(site_id: $site_id, offset: 0, limit: 1, sort_column: start, sort_order: desc, scan_status: [succeeded]) {
            id site_id site_name status start_time end_time issue_counts { total }
          }
        }
        """

    static let scanIssuesQuery = """
        query ScanIssues($id: ID!, $start: Int!, $count: Int!) {
          scan(id: $id) {
            id status
            issues(start: $start, count: $count) {
              serial_number severity confidence path origin description_html remediation_html
              issue_type { type_index name description_html remediation_html vulnerability_classifications_html references_html }
            }
          }
        }
        """
}
