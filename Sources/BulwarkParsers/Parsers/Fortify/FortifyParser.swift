// Fortify Scan / Fortify Scan v2 — Fortify SCA (Static Code Analyzer) results.
//
// Formats (the file name decides like DefectDojo: `.fpr` or `.xml`; otherwise a zip is read as
// FPR and anything else as XML):
//   - FPR: the zip Fortify writes, through ArchiveReader; its `audit.fvdl` (FVDL 1.x) is
//     streamed from a temporary file, its optional `audit.xml` lists audited issues;
//   - XML report definition (Fortify Security Report, before 24.2, root `ReportDefinition`);
//   - 24.2 XML (root `Scan`, `Issues/Issue`).
// The two scan types differ only for FPR: "Fortify Scan" uses the snippet's first line as the
// finding's line (and in the title), "v2" the line Fortify reports.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/fortify/{no_vuln,one_vuln,many_vulns}.{fpr,xml},
// scan_24_2.xml, plus malformed ones.
//
// Field mapping (DefectDojo dojo/tools/fortify):
//   FPR: "<Type> - <file>: <line> (<ClassID>)" → title; impact/likelihood of the rule and
//   confidence → severity (Critical/High/Medium/Low, Info without a rule impact); abstract,
//   source location, snippet, explanation and instance details → description; recommendations
//   and tips → mitigation; rule altcategoryCWE → cwe; SourceLocation path → file_path;
//   InstanceID → unique_id_from_tool; issues listed in audit.xml → inactive false positives,
//   their threaded comments → impact.
//   Report-definition XML: "<Category> - <FileName>: <LineStart>" → title (first of each title
//   kept); Friority → severity; FilePath, LineStart → file_path, line; iid →
//   unique_id_from_tool; category Explanation / Recommendations / Tips → description / mitigation.
//   24.2 XML: Name → title; Severity 0-4 → Info…Critical; Host/Port → endpoint; RawResponse →
//   response.
import BulwarkCore

/// Parses Fortify FPR archives and XML reports (`Fortify Scan`, `Fortify Scan v2`).
public struct FortifyParser: ScanParser {
    static let version2: ScanType = "Fortify Scan v2"

    public static let descriptors = [
        ParserDescriptor(
            scanType: "Fortify Scan", label: "Fortify Scan", summary: "Fortify FPR archive or XML report.",
            version: 1, dedupe: .legacy),
        ParserDescriptor(
            scanType: version2, label: "Fortify Scan v2",
            summary: "Fortify FPR archive or XML report; FPR findings use the line Fortify reports.",
            version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            let isFPR: Bool
            switch input.fileExtension {
            case "fpr": isFPR = true
            case "xml": isFPR = false
            default: isFPR = try ArchiveReader.isZip(input)
            }
            if isFPR {
                return ParseResult(findings: try FortifyFVDLReport.findings(input, usesReportedLine: scanType == Self.version2))
            }
            return ParseResult(findings: try FortifyXMLReport.findings(input))
        } catch {
            throw error.naming(scanType)
        }
    }
}
