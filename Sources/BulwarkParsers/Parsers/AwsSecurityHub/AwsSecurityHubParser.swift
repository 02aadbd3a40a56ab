// AWS Security Hub Scan — Security Hub findings exported as JSON (ASFF).
//
// Formats: `aws securityhub get-findings` output (`{"Findings": [...]}`) or the same list under
// `findings`. Each finding is mapped by the product that produced it
// (`ProductFields["aws/securityhub/ProductName"]`): Inspector, GuardDuty, or anything else
// (Security Hub's own compliance checks, Config, …).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/awssecurityhub/{no_vuln,one_vuln,many_vulns,
// inspector,guardduty}.json, plus malformed variants.
//
// Field mapping (DefectDojo dojo/tools/awssecurityhub/{parser,compliance,guardduty,inspector}.py):
//   Title + " - Resource: <last part of the resource id>" (or " - Image: <repository/digest>" for
//   ECR images; the last resource wins) → title; Severity.Label → severity (unknown → Info)
//   Description, finding ARN, resource ids, account, region, generator → description
//   Remediation.Recommendation Text + Url → mitigation (compliance); GuardDuty finding types and
//   its documentation link → mitigation; Inspector packages "- Update name-version" → mitigation
//   Remediation URL (after Inspector vendor URLs) → references; resource details → impact
//   Id → unique_id_from_tool; last resource Type → component_name; static true, dynamic false
//   compliance: Compliance.Status PASSED (the default) → inactive and mitigated at LastObservedAt
//   GuardDuty: RecordState other than ACTIVE → mitigated (still active, as in DefectDojo)
//   Inspector: FindingStatus other than ACTIVE → inactive and mitigated; vulnerability ids and
//   aliases → vulnerability_ids; first CVSS BaseVector → cvssv3 / cvssv4 and
//   severity_justification; EpssScore → epss_score; every resource → endpoint host
//   "<Type>_<Id>" with ":" and "/" replaced by "_" (GuardDuty: EC2 instances and ECR images).
// Findings with the same Id keep the first position and the last content. A meta format: the
// test is named "AWS Security Hub", its description lists the accounts and finding origins.
// Findings mitigated without LastObservedAt keep `mitigated` empty for the importer (DefectDojo
// uses the current time).
import BulwarkCore
import Foundation

/// Parses AWS Security Hub JSON exports (`AWS Security Hub Scan`).
public struct AwsSecurityHubParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "AWS Security Hub Scan", label: "AWS Security Hub Scan",
            summary: "AWS Security Hub exports in JSON format.", version: 1,
            dedupe: .uniqueIDFromTool(), namesToolInReport: true),
    ]

    private static let toolName = "AWS Security Hub"

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let report = try JSONReport.object(try JSONReport.read(input), tool: Self.toolName)
            guard let nodes = (report.member("Findings") ?? report.member("findings"))?.arrayValue else {
                throw ParseError(.unsupportedFormat, "Incorrect Security Hub report format: expected a \"Findings\" list.", position: .jsonPath("$"))
            }
            var findings: [Finding] = []
            var positions: [String: Int] = [:]
            var accounts: Set<String> = []
            var origins: Set<String> = []
            for (index, node) in nodes.enumerated() {
                let path = ParseError.Position.jsonPath("$.Findings[\(index)]")
                guard case .string(let id)? = node["Id"] else {
                    throw ParseError(.invalidValue, "Incorrect Security Hub report format: \"Id\" must be text.", position: path)
                }
                accounts.insert(node.text("AwsAccountId") ?? "No Account Found")
                origins.insert(node.text("ProductName") ?? "AWS Security Hub Ruleset")
                let mapping = AwsSecurityHubMapping(node: node, position: path)
                let finding: Finding
                switch node.member("ProductFields")?.text("aws/securityhub/ProductName") {
                case "Inspector": finding = try mapping.inspector()
                case "GuardDuty": finding = try mapping.guardDuty()
                default: finding = try mapping.compliance()
                }
                if let existing = positions[id] {
                    findings[existing] = finding
                } else {
                    positions[id] = findings.count
                    findings.append(finding)
                }
            }
            let sorted = { (set: Set<String>) in set.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
            let description = "**AWS Accounts:** \(sorted(accounts).joined(separator: ", "))\n"
                + "**Finding Origins:** \(sorted(origins).joined(separator: ", "))\n"
            return ParseResult(findings: findings, toolType: Self.toolName, testName: Self.toolName, testDescription: description)
        } catch {
            throw error.naming(scanType)
        }
    }
}
