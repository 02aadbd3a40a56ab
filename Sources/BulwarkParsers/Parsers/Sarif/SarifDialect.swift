import BulwarkCore

/// What a SARIF-based scan type changes in the SARIF mapping: DefectDojo's parsers that
/// subclass its `SarifParser` override `get_finding_title`, `get_finding_description` and
/// `customize_finding`.
protocol SarifDialect: Sendable {
    /// The title of the finding for one result location.
    func title(result: JSONObject, rule: JSONObject?, location: JSONObject?, path: String) throws(ParseError) -> String
    /// The description of the finding for one result location.
    func description(result: JSONObject, rule: JSONObject?, location: JSONObject?) -> String
    /// Last changes to a mapped finding.
    func customize(_ finding: inout Finding, result: JSONObject, rule: JSONObject?, location: JSONObject?)
}

/// The plain `SARIF` scan type's mapping.
struct StandardSarifDialect: SarifDialect {
    func title(result: JSONObject, rule: JSONObject?, location: JSONObject?, path: String) throws(ParseError) -> String {
        try SarifMapping.title(result: result, rule: rule, path: path)
    }

    func description(result: JSONObject, rule: JSONObject?, location: JSONObject?) -> String {
        SarifMapping.description(result: result, rule: rule, location: location)
    }

    func customize(_ finding: inout Finding, result: JSONObject, rule: JSONObject?, location: JSONObject?) {}
}
