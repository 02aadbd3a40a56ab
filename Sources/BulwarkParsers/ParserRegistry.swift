import BulwarkCore

/// Every parser the server ships, listed explicitly (no reflection).
///
/// Adding a parser means adding one line to ``all``. Scan types must be unique across parsers;
/// a duplicate is a programming error caught when the table is first built and by
/// `RegistryTests`.
public enum ParserRegistry {
    /// The registered parser types.
    public static let all: [any ScanParser.Type] = [
        AcunetixParser.self,
        AnchoreEngineParser.self,
        AnchoreGrypeParser.self,
        AwsSecurityHubParser.self,
        BanditParser.self,
        BlackduckParser.self,
        BrakemanParser.self,
        BurpApiParser.self,
        BurpDastardlyParser.self,
        BurpGraphQLParser.self,
        BurpParser.self,
        BurpSuiteDASTParser.self,
        CargoAuditParser.self,
        CheckmarxOneParser.self,
        CheckmarxParser.self,
        CheckovParser.self,
        ClairParser.self,
        CppcheckParser.self,
        DependencyCheckParser.self,
        DependencyTrackParser.self,
        DetectSecretsParser.self,
        FortifyParser.self,
        GenericParser.self,
        GithubVulnerabilityParser.self,
        GitlabDepScanParser.self,
        GitlabSastParser.self,
        GitleaksParser.self,
        GosecParser.self,
        GovulncheckParser.self,
        HadolintParser.self,
        HorusecParser.self,
        InvictiParser.self,
        KicsParser.self,
        MendParser.self,
        NetsparkerParser.self,
        NiktoParser.self,
        NmapParser.self,
        NpmAudit7PlusParser.self,
        NpmAuditParser.self,
        NucleiParser.self,
        OpenVASParser.self,
        OsvScannerParser.self,
        PipAuditParser.self,
        ProwlerParser.self,
        QualysParser.self,
        SarifParser.self,
        SemgrepParser.self,
        SnykCodeParser.self,
        SnykParser.self,
        SonarQubeParser.self,
        SslyzeParser.self,
        SysdigCliParser.self,
        SysdigReportsParser.self,
        TenableParser.self,
        TrivyParser.self,
        TrufflehogParser.self,
        TwistlockParser.self,
        VeracodeParser.self,
        WapitiParser.self,
        WizParser.self,
        YarnAuditParser.self,
        ZapParser.self,
    ]

    /// Every descriptor, sorted by scan type (for `test_types` listings and the CLI).
    public static let descriptors: [ParserDescriptor] = all.flatMap { $0.descriptors }.sorted { $0.scanType < $1.scanType }

    /// The scan types registered more than once; always empty in a correct build.
    public static func duplicateScanTypes(in parsers: [any ScanParser.Type] = all) -> [ScanType] {
        var counts: [ScanType: Int] = [:]
        for parser in parsers {
            for descriptor in parser.descriptors { counts[descriptor.scanType, default: 0] += 1 }
        }
        return counts.filter { $0.value > 1 }.map(\.key).sorted()
    }

    private static let table: [ScanType: (parser: any ScanParser.Type, descriptor: ParserDescriptor)] = {
        precondition(duplicateScanTypes().isEmpty, "Duplicate scan types in ParserRegistry: \(duplicateScanTypes())")
        var table: [ScanType: (parser: any ScanParser.Type, descriptor: ParserDescriptor)] = [:]
        for parser in all {
            for descriptor in parser.descriptors { table[descriptor.scanType] = (parser, descriptor) }
        }
        return table
    }()

    /// A parser for an exact, case-sensitive scan type, or `nil` when none is registered.
    public static func parser(for scanType: ScanType) -> (any ScanParser)? {
        table[scanType].map { $0.parser.init() }
    }

    /// The descriptor of a scan type, or `nil` when none is registered.
    public static func descriptor(for scanType: ScanType) -> ParserDescriptor? {
        table[scanType]?.descriptor
    }

    /// Parses a report with the parser registered for `scanType`.
    ///
    /// - Throws: ``ParseError`` with code ``ParseError/Code/unknownScanType`` when no parser is
    ///   registered, or whatever the parser throws.
    public static func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        guard let parser = parser(for: scanType) else {
            throw ParseError(.unknownScanType, "\"\(scanType.rawValue)\" is not a valid choice.", scanType: scanType)
        }
        return try parser.parse(input, as: scanType)
    }
}
