import BulwarkCore

/// Static facts about one scan type, declared next to the parser that reads it.
public struct ParserDescriptor: Sendable, Hashable {
    /// DefectDojo's exact scan type string, e.g. `"ZAP Scan"`.
    public var scanType: ScanType
    /// The label DefectDojo shows for the scan type.
    public var label: String
    /// One sentence for the UI and `/api/v2/test_types/`.
    public var summary: String
    /// Bumped whenever the same input would produce different findings.
    public var version: Int
    /// Dedupe algorithm and hash recipe (DefectDojo's defaults for this scan type).
    public var dedupe: DedupeConfiguration
    /// Whether an import needs a file (false only for API-pull scan types).
    public var requiresFile: Bool
    /// Whether reports name their own tool, so the test type can become `"<tool> Scan (<type>)"`
    /// (DefectDojo parsers with `get_tests`).
    public var namesToolInReport: Bool

    /// Creates a descriptor.
    public init(
        scanType: ScanType, label: String, summary: String, version: Int, dedupe: DedupeConfiguration,
        requiresFile: Bool = true, namesToolInReport: Bool = false
    ) {
        self.scanType = scanType
        self.label = label
        self.summary = summary
        self.version = version
        self.dedupe = dedupe
        self.requiresFile = requiresFile
        self.namesToolInReport = namesToolInReport
    }
}

/// A report parser: bytes in, findings out.
///
/// Parsers are pure. They never touch a database, the network or the clock; a finding without a
/// date in the report keeps `date == nil` for the importer to fill. They throw ``ParseError`` for
/// unusable input and never crash on it.
public protocol ScanParser: Sendable {
    /// The scan types this parser reads; usually one.
    static var descriptors: [ParserDescriptor] { get }

    /// Creates the parser (parsers hold no state).
    init()

    /// Parses one report.
    ///
    /// - Parameters:
    ///   - input: The report.
    ///   - scanType: Which of ``descriptors`` the caller asked for.
    /// - Returns: The findings and report metadata.
    /// - Throws: ``ParseError`` describing what is wrong and where.
    func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult
}

extension ScanParser {
    /// Parses a report as this parser's first scan type.
    public func parse(_ input: ScanInput) throws(ParseError) -> ParseResult {
        guard let scanType = Self.descriptors.first?.scanType else {
            throw ParseError(.unknownScanType, "The parser declares no scan type.")
        }
        return try parse(input, as: scanType)
    }
}
