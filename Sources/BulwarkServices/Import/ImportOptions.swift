import BulwarkCore
import BulwarkStorage
import Foundation

/// The parameters of `import-scan` and `reimport-scan` (import-semantics.md §2), typed.
public struct ImportOptions: Sendable {
    public var scanType: String = ""
    public var scanDate: Date?
    public var minimumSeverity: Severity = .info
    public var active: Bool?
    public var verified: Bool?
    public var endpointToAdd: Int?
    public var productTypeName: String?
    public var productName: String?
    public var engagementName: String?
    public var engagementEndDate: Date?
    public var sourceCodeManagementURI: String?
    public var testTitle: String?
    public var autoCreateContext = false
    public var deduplicationOnEngagement = false
    public var lead: Int?
    public var pushToJira = false
    public var environment = "Development"
    public var buildID: String?
    public var branchTag: String?
    public var commitHash: String?
    public var version: String?
    public var apiScanConfiguration: Int?
    public var service: String?
    public var groupBy: String?
    public var createFindingGroupsForAllFindings = true
    public var applyTagsToFindings = false
    public var applyTagsToEndpoints = false
    public var tags: [String] = []
    public var closeOldFindings = false
    public var closeOldFindingsProductScope = false
    public var engagement: Int?
    public var test: Int?
    public var doNotReactivate = false
    /// The fields the client sent (echoed in the response, DefectDojo-style).
    public var sent: Set<String> = []
    /// Every form field ``parse(_:reimport:today:)`` looked at, sent or not; tests hold it equal to ``formFields(reimport:)``.
    public var fieldsRead: Set<String> = []

    public init() {}

    static let severities = ["Info", "Low", "Medium", "High", "Critical"]
    static let groupings = ["component_name", "component_name+component_version", "file_path", "finding_title", "vuln_id_from_tool"]

    /// Reads form fields (repeated keys kept) the way DefectDojo's serializers do: unknown fields
    /// ignored, empty strings meaning "not given". Collects every field error.
    public static func parse(_ fields: [String: [String]], reimport: Bool, today: Date) -> Result<ImportOptions, ValidationErrors> {
        var options = ImportOptions()
        options.closeOldFindings = reimport
        var errors = ValidationErrors()
        func text(_ name: String) -> String? {
            options.fieldsRead.insert(name)
            guard let value = fields[name]?.first(where: { !$0.isEmpty }) ?? nil else { return nil }
            options.sent.insert(name)
            return value
        }
        func flag(_ name: String) -> Bool? {
            guard let raw = text(name) else { return nil }
            guard let value = FieldConversion.boolean(.string(raw)) else { errors.add(name, "Must be a valid boolean."); return nil }
            return value
        }
        func integer(_ name: String) -> Int? {
            guard let raw = text(name) else { return nil }
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else { errors.add(name, "A valid integer is required."); return nil }
            return value
        }
        func day(_ name: String) -> Date? {
            guard let raw = text(name) else { return nil }
            guard let value = DateFormatting.parseDay(raw) else {
                errors.add(name, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
                return nil
            }
            return value
        }

        if let scanType = text("scan_type") { options.scanType = scanType } else { errors.add("scan_type", "This field is required.") }
        options.scanDate = day("scan_date")
        if let scanDate = options.scanDate, scanDate > today { errors.add("scan_date", "The scan_date cannot be in the future!") }
        if let raw = text("minimum_severity") {
            if severities.contains(raw), let value = Severity(rawValue: raw) { options.minimumSeverity = value }
            else { errors.add("minimum_severity", "\"\(raw)\" is not a valid choice.") }
        }
        // Presence matters for active/verified: absent means "keep the parser's value".
        options.active = flag("active")
        options.verified = flag("verified")
        options.endpointToAdd = integer("endpoint_to_add")
        options.productTypeName = text("product_type_name")
        options.productName = text("product_name")
        options.engagementName = text("engagement_name")
        options.engagementEndDate = day("engagement_end_date")
        options.sourceCodeManagementURI = text("source_code_management_uri")
        options.testTitle = text("test_title")
        options.autoCreateContext = flag("auto_create_context") ?? false
        options.deduplicationOnEngagement = flag("deduplication_on_engagement") ?? false
        options.lead = integer("lead")
        options.pushToJira = flag("push_to_jira") ?? false
        options.environment = text("environment") ?? "Development"
        options.buildID = text("build_id")
        options.branchTag = text("branch_tag")
        options.commitHash = text("commit_hash")
        options.version = text("version")
        options.apiScanConfiguration = integer("api_scan_configuration")
        options.service = text("service")
        if let group = text("group_by") {
            if groupings.contains(group) { options.groupBy = group } else { errors.add("group_by", "\"\(group)\" is not a valid choice.") }
        }
        options.createFindingGroupsForAllFindings = flag("create_finding_groups_for_all_findings") ?? true
        options.applyTagsToFindings = flag("apply_tags_to_findings") ?? false
        options.applyTagsToEndpoints = flag("apply_tags_to_endpoints") ?? false
        options.fieldsRead.insert("tags")
        if let values = fields["tags"]?.filter({ !$0.isEmpty }), !values.isEmpty {
            options.sent.insert("tags")
            options.tags = TagStore.normalise(values.flatMap(splitTags))
        }
        options.closeOldFindings = flag("close_old_findings") ?? reimport
        options.closeOldFindingsProductScope = flag("close_old_findings_product_scope") ?? false
        // DefectDojo's wording for non-numeric context ids.
        func identifier(_ name: String) -> Int? {
            guard let raw = text(name) else { return nil }
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else { errors.add(name, "\(name) must be an integer"); return nil }
            return value
        }
        if reimport {
            options.test = identifier("test")
            options.doNotReactivate = flag("do_not_reactivate") ?? false
        } else {
            options.engagement = identifier("engagement")
        }
        return errors.isEmpty ? .success(options) : .failure(errors)
    }

    /// The form fields ``parse(_:reimport:today:)`` reads besides the report file, declared for the
    /// API documentation; `scan_type` is the only required one.
    public static func formFields(reimport: Bool) -> [FieldSpec] {
        let text = FieldKind.string()
        var fields: [FieldSpec] = [
            FieldSpec("scan_date", .date), FieldSpec("minimum_severity", .choice(severities)),
            FieldSpec("active", .boolean), FieldSpec("verified", .boolean), FieldSpec("endpoint_to_add", .integer()),
            FieldSpec("product_type_name", text), FieldSpec("product_name", text), FieldSpec("engagement_name", text),
            FieldSpec("engagement_end_date", .date), FieldSpec("source_code_management_uri", text), FieldSpec("test_title", text),
            FieldSpec("auto_create_context", .boolean), FieldSpec("deduplication_on_engagement", .boolean), FieldSpec("lead", .integer()),
            FieldSpec("push_to_jira", .boolean), FieldSpec("environment", text), FieldSpec("build_id", text), FieldSpec("branch_tag", text),
            FieldSpec("commit_hash", text), FieldSpec("version", text), FieldSpec("api_scan_configuration", .integer()),
            FieldSpec("service", text), FieldSpec("group_by", .choice(groupings)), FieldSpec("create_finding_groups_for_all_findings", .boolean),
            FieldSpec("apply_tags_to_findings", .boolean), FieldSpec("apply_tags_to_endpoints", .boolean), FieldSpec("tags", .tags),
            FieldSpec("close_old_findings", .boolean), FieldSpec("close_old_findings_product_scope", .boolean),
            FieldSpec("scan_type", text, required: true, allowBlank: false),
        ]
        fields += reimport ? [FieldSpec("test", .integer()), FieldSpec("do_not_reactivate", .boolean)] : [FieldSpec("engagement", .integer())]
        return fields
    }

    /// Tags come repeated, comma-separated, or as a JSON list string.
    static func splitTags(_ text: String) -> [String] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("["), let data = trimmed.data(using: .utf8), let list = try? JSONDecoder().decode([String].self, from: data) { return list }
        return trimmed.split(separator: ",").map(String.init)
    }
}
