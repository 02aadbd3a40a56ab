import BulwarkStorage
import Foundation
import SQLKit

extension FindingsResource {
    /// A condition `findings.id IN (subquery selecting finding ids)` from a comma list of integers.
    static func idSubquery(_ parameter: String, _ subquery: @escaping @Sendable ([Int]) -> SQLQueryString) -> FilterSpec {
        FilterSpec.integersIn(parameter, table: "findings", subquery)
    }

    /// DefectDojo's DateRangeFilter on a column that never has a value here (JIRA dates): any valid code matches nothing.
    static func alwaysEmptyDateRange(_ parameter: String) -> FilterSpec {
        FilterSpec(parameter, .custom({ raw, _ throws(FilterError) in
            ["1", "2", "3", "4", "5", "6", "7"].contains(raw) ? "1 = 0" : nil
        }))
    }

    static let booleanFilters = [
        "active", "duplicate", "dynamic_finding", "false_p", "is_mitigated", "out_of_scope", "static_finding", "under_defect_review",
        "under_review", "verified", "fix_available", "known_exploited", "ransomware_used", "risk_accepted",
    ].map { FilterSpec($0, .exact, .boolean) }

    static let textFilters = [
        "component_version", "component_name", "description", "file_path", "hash_code", "impact", "mitigation", "param", "payload",
        "references", "severity_justification", "steps_to_reproduce", "unique_id_from_tool", "title",
    ].map { FilterSpec($0, .icontains) }

    static let integerListFilters: [FilterSpec] = [
        ("cwe", "cwe"), ("defect_review_requested_by", "defect_review_requested_by_id"), ("id", "id"),
        ("last_reviewed_by", "last_reviewed_by_id"), ("mitigated_by", "mitigated_by_id"), ("nb_occurences", "nb_occurences"),
        ("reporter", "reporter_id"), ("scanner_confidence", "scanner_confidence"), ("review_requested_by", "review_requested_by_id"),
        ("sast_source_line", "sast_source_line"), ("sonarqube_issue", "sonarqube_issue"), ("test__engagement", "engagement_id"),
        ("test__engagement__product", "product_id"), ("test", "test_id"), ("duplicate_finding", "duplicate_finding_id"),
    ].map { FilterSpec($0.0, column: $0.1, .inList, .integer) }

    static let exactFilters: [FilterSpec] = [
        ("service", FilterValueType.string), ("vuln_id_from_tool", .string), ("sla_start_date", .date), ("kev_date", .date),
        ("cvssv3", .string), ("cvssv4", .string), ("cvssv3_score", .double), ("cvssv4_score", .double), ("fix_version", .string),
        ("planned_remediation_version", .string), ("effort_for_fixing", .string), ("sast_source_object", .string),
        ("sast_sink_object", .string), ("sast_source_file_path", .string), ("publish_date", .date), ("planned_remediation_date", .date),
        ("line", .integer), ("last_status_update", .dateTime), ("updated", .dateTime),
    ].map { FilterSpec($0.0, .exact, $0.1) }

    static let relationFilters: [FilterSpec] = [
        idSubquery("endpoints") { "SELECT \(ident: "finding_id") FROM \(ident: "endpoint_status") WHERE \(ident: "endpoint_id") IN (\(binds: $0))" },
        idSubquery("found_by") { "SELECT \(ident: "finding_id") FROM \(ident: "finding_found_by") WHERE \(ident: "test_type_id") IN (\(binds: $0))" },
        idSubquery("reviewers") { "SELECT \(ident: "finding_id") FROM \(ident: "finding_reviewers") WHERE \(ident: "user_id") IN (\(binds: $0))" },
        idSubquery("risk_acceptance") {
            "SELECT \(ident: "finding_id") FROM \(ident: "risk_acceptance_findings") WHERE \(ident: "risk_acceptance_id") IN (\(binds: $0))"
        },
        FilterSpec.integersIn("test__test_type", table: "findings", column: "test_id") {
            "SELECT \(ident: "id") FROM \(ident: "tests") WHERE \(ident: "test_type_id") IN (\(binds: $0))"
        },
        FilterSpec.integersIn("test__engagement__product__prod_type", table: "findings", column: "product_id") {
            "SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "prod_type_id") IN (\(binds: $0))"
        },
        FilterSpec("vulnerability_id", .custom({ raw, _ throws(FilterError) in
            let ids = FilterValueParsing.strings(raw)
            guard !ids.isEmpty else { return nil }
            return "\(ident: "findings").\(ident: "id") IN (SELECT \(ident: "finding_id") FROM \(ident: "vulnerability_ids") WHERE \(ident: "vulnerability_id") IN (\(binds: ids)))"
        })),
        FilterSpec("product_name", .custom({ raw, _ throws(FilterError) in
            guard !raw.isEmpty else { return nil }
            return "\(ident: "findings").\(ident: "product_id") IN (SELECT \(ident: "id") FROM \(ident: "products") WHERE LOWER(\(ident: "name")) = \(bind: raw.lowercased()))"
        })),
        FilterSpec("product_name_contains", .custom({ raw, _ throws(FilterError) in
            guard !raw.isEmpty else { return nil }
            let pattern = "%" + raw.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            return "\(ident: "findings").\(ident: "product_id") IN (SELECT \(ident: "id") FROM \(ident: "products") WHERE LOWER(\(ident: "name")) LIKE \(bind: pattern) ESCAPE '\\')"
        })),
        FilterSpec("product_lifecycle", .custom({ raw, _ throws(FilterError) in
            let values = FilterValueParsing.strings(raw)
            guard !values.isEmpty else { return nil }
            return "\(ident: "findings").\(ident: "product_id") IN (SELECT \(ident: "id") FROM \(ident: "products") WHERE \(ident: "lifecycle") IN (\(binds: values)))"
        })),
        FilterSpec("has_jira", .custom({ raw, _ throws(FilterError) in
            // No JIRA integration: nothing has a JIRA issue.
            FilterValueParsing.boolean(raw) == true ? "1 = 0" : nil
        })),
        FilterSpec("finding_group", .custom({ raw, _ throws(FilterError) in raw.isEmpty ? nil : "1 = 0" })),
    ]

    static let dateFilters: [FilterSpec] = [
        FilterSpec("created", .dateRangeChoice, .dateTime),
        FilterSpec("date", .dateRangeChoice, .date),
        FilterSpec("last_reviewed", .dateRangeChoice, .dateTime),
        FilterSpec("mitigated", .dateRangeChoice, .dateTime),
        alwaysEmptyDateRange("jira_creation"),
        alwaysEmptyDateRange("jira_change"),
        FilterSpec("discovered_on", column: "date", .exact, .date),
        FilterSpec("discovered_before", column: "date", .lessThan, .date),
        FilterSpec("discovered_after", column: "date", .greaterThan, .date),
        FilterSpec("mitigated_on", column: "mitigated", .exact, .dateTime),
        FilterSpec("mitigated_before", column: "mitigated", .lessThan, .dateTime),
        FilterSpec("mitigated_after", column: "mitigated", .custom({ raw, _ throws(FilterError) in
            guard !raw.isEmpty else { return nil }
            // A bare day means "after that whole day", as DefectDojo documents.
            if raw.count == 10, let day = DateFormatting.parseDay(raw) {
                return "\(ident: "findings").\(ident: "mitigated") >= \(bind: DateFormatting.adding(days: 1, to: day))"
            }
            guard let instant = DateFormatting.parseInstant(raw) else { throw FilterError(parameter: "mitigated_after", message: "Enter a valid date/time.") }
            return "\(ident: "findings").\(ident: "mitigated") > \(bind: instant)"
        })),
        FilterSpec("epss_score_min", column: "epss_score", .atLeast, .double),
        FilterSpec("epss_score_max", column: "epss_score", .atMost, .double),
        FilterSpec("epss_percentile_min", column: "epss_percentile", .atLeast, .double),
        FilterSpec("epss_percentile_max", column: "epss_percentile", .atMost, .double),
    ]

    static let tagFilterSet: [FilterSpec] =
        FilterSpec.tagFilters(objectType: "finding")
        + FilterSpec.tagFilters(objectType: "test", prefix: "test__", idColumn: "test_id")
        + FilterSpec.tagFilters(objectType: "engagement", prefix: "test__engagement__", idColumn: "engagement_id")
        + FilterSpec.tagFilters(objectType: "product", prefix: "test__engagement__product__", idColumn: "product_id")

    /// Every named filter of DefectDojo's finding filter set that Bulwark serves.
    static let filters: [FilterSpec] =
        booleanFilters + textFilters + integerListFilters + exactFilters + relationFilters + dateFilters + tagFilterSet + [
            FilterSpec("severity", .inList),
            FilterSpec("numerical_severity", .inList),
            FilterSpec("exact_title", column: "title", .iexact),
        ]
}
