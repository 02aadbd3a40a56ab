// Cppcheck Scan — Cppcheck (C/C++ static analyser) reports in SARIF 2.1.0.
//
// Formats: the SARIF log `cppcheck --output-format=sarif` writes (to stderr). DefectDojo's
// dojo/tools/cppcheck parser is its SARIF parser under another scan type, so this one delegates to
// ``SarifParser``: same findings, same order, the run's tool name ("Cppcheck") names the test.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/cppcheck/{no_vuln,one_vuln,many_vulns}.sarif, plus
// not_sarif.xml (Cppcheck's own XML format, which DefectDojo does not read).
//
// Field mapping: as SARIF (see SarifParser.swift) — message → title, level warning/error/note →
// Medium/High/Info, artifact uri → file_path, startLine → line, ruleId → vuln_id_from_tool.
import BulwarkCore

/// Parses Cppcheck SARIF logs (`Cppcheck Scan`).
public struct CppcheckParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Cppcheck Scan", label: "Cppcheck Scan",
            summary: "Cppcheck SARIF report (cppcheck --output-format=sarif).", version: 1,
            dedupe: .uniqueIDFromToolOrHashCode(), namesToolInReport: true),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try SarifParser().parse(input, as: "SARIF")
        } catch {
            var renamed = error
            renamed.scanType = scanType
            throw renamed
        }
    }
}
