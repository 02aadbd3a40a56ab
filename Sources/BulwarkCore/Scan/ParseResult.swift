/// What a parser read from one report: findings, non-fatal warnings and, for "meta" formats such
/// as SARIF and Generic Findings Import, the tool the report says produced it.
///
/// DefectDojo names the test type after that tool (`"Trivy Scan (SARIF)"`); use
/// ``testTypeName(for:)`` to get the same name.
public struct ParseResult: Sendable, Hashable {
    /// The findings, in report order (order matters to DefectDojo's reimport and to tests).
    public var findings: [Finding]
    /// Problems that did not stop parsing, written for the person who uploaded the report.
    public var warnings: [String]
    /// The report's own tool type (DefectDojo `ParserTest.type`): the SARIF driver name, or the
    /// Generic `type` field. `nil` for single-tool formats.
    public var toolType: String?
    /// The report's test name (DefectDojo `ParserTest.name`): the SARIF driver name, or the
    /// Generic `name` field.
    public var testName: String?
    /// The tool version the report states (copied to `Test.version` when present).
    public var toolVersion: String?
    /// A test description the report provides (copied to `Test.description` when present).
    public var testDescription: String?
    /// Whether the report says its tool is static (copied to the test type when present).
    public var isStaticTool: Bool?
    /// Whether the report says its tool is dynamic (copied to the test type when present).
    public var isDynamicTool: Bool?

    /// Creates a result.
    public init(
        findings: [Finding], warnings: [String] = [], toolType: String? = nil, testName: String? = nil,
        toolVersion: String? = nil, testDescription: String? = nil, isStaticTool: Bool? = nil,
        isDynamicTool: Bool? = nil
    ) {
        self.findings = findings
        self.warnings = warnings
        self.toolType = toolType
        self.testName = testName
        self.toolVersion = toolVersion
        self.testDescription = testDescription
        self.isStaticTool = isStaticTool
        self.isDynamicTool = isDynamicTool
    }

    /// The test type name DefectDojo gives a test of this report (`resolve_dynamic_test_type_name`).
    ///
    /// No tool type, or one equal to the scan type, gives the scan type; a tool type already
    /// ending in `" (<scan type>)"` is used as is; a tool type that plus `" Scan"` equals the scan
    /// type gives the scan type; otherwise `"<tool type> Scan (<scan type>)"`, e.g.
    /// `"CodeScanner Scan (SARIF)"`.
    public func testTypeName(for scanType: ScanType) -> String {
        let scan = scanType.rawValue
        guard let toolType, !toolType.isEmpty, toolType != scan else { return scan }
        if toolType.hasSuffix(" (\(scan))") { return toolType }
        if toolType + " Scan" == scan { return scan }
        return "\(toolType) Scan (\(scan))"
    }
}
