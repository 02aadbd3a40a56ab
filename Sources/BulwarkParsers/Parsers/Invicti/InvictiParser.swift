// Invicti Scan — Invicti (formerly Netsparker) JSON vulnerability exports.
//
// Formats: the JSON export Netsparker's parser reads; DefectDojo's dojo/tools/invicti parser is
// the Netsparker parser under another scan type, so this one delegates to ``NetsparkerParser``
// (same findings, same order; see NetsparkerParser.swift for the field mapping).
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/invicti/{no_vuln,one_vuln,many_vulns}.json, plus
// a truncated one.
import BulwarkCore

/// Parses Invicti JSON exports (`Invicti Scan`).
public struct InvictiParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Invicti Scan", label: "Invicti Scan", summary: "Invicti JSON format.", version: 1,
            dedupe: .hashCode(fields: [.title, .description, .severity])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try NetsparkerParser.parse(input, format: "Invicti JSON export")
        } catch {
            throw error.naming(scanType)
        }
    }
}
