import BulwarkCore
import BulwarkParsers
import Testing

/// The dedupe settings of the JSON tool parsers equal DefectDojo's (import-semantics §8).
@Suite("Dedupe settings of JSON tool parsers")
struct JSONToolDedupeSettingsTests {
    @Test("algorithm, hash fields and null-CWE rule", arguments: [
        ("Github Vulnerability Scan", DedupeConfiguration.hashCode(fields: [.title, .severity, .componentName, .vulnerabilityIDs, .filePath])),
        ("Gitleaks Scan", DedupeConfiguration.hashCode()),
        ("Gosec Scanner", DedupeConfiguration.legacy),
        ("Govulncheck Scanner", DedupeConfiguration.uniqueIDFromTool()),
        ("Govulncheck Scanner V2", DedupeConfiguration.uniqueIDFromTool()),
        ("Hadolint Dockerfile check", DedupeConfiguration.hashCode()),
        ("Horusec Scan", DedupeConfiguration.hashCode(fields: [.title, .description, .filePath, .line])),
        ("KICS Scan", DedupeConfiguration.hashCode(fields: [.filePath, .line, .severity, .description, .title])),
        ("Mend Scan", DedupeConfiguration.hashCode(fields: [.title, .severity, .description])),
    ])
    func dedupe(scanType: String, expected: DedupeConfiguration) throws {
        // Given the registered descriptor
        let descriptor = try #require(ParserRegistry.descriptor(for: ScanType(scanType)))

        // Then its dedupe configuration is DefectDojo's
        #expect(descriptor.dedupe == expected)
        #expect(descriptor.namesToolInReport == (scanType == "Horusec Scan"))
    }
}
