// Burp Enterprise Scan — Burp Suite DAST (formerly Enterprise Edition) "Scan Remediation" HTML
// reports. (DefectDojo's parser also answers to "Burp Suite DAST Scan", its newer name; that
// scan type is not registered here yet, as the conformance corpus has no entries for it.)
//
// Formats: the HTML report, both layouts: issue tables ("Issues found on <site>") followed by
// "More details" sections with one `issue-container` per issue, request and response either
// under `<h3>` headings of the container (older) or in `evidence-container` blocks (newer). The
// HTML is tokenized like Python's html.parser and built into small trees with libxml2's tolerant
// rules (``HTMLTreeBuilder``), one `html/body/div/div` section at a time. A document with no
// `<html>` or `<body>` tag is refused.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/burp_suite_dast/{no_vuln,one_vuln,many_vulns}.html
// (many_vulns: two sites, a title spread over several issues, both layouts, Unicode, CRLF),
// missing_optional.html, unclosed_tags.html, plus malformed ones (unknown title, bad severity,
// section without heading, not HTML, empty).
//
// Field mapping (DefectDojo dojo/tools/burp_suite_dast/parser.py), one finding per issue title
// in the order the tables first list them:
//   issue-type-row text without its last word ("[3]") → title; each row under it → an endpoint
//   "<site>/<path>" and the severity (the last row's); headings of the issue containers with the
//   title → "**Heading**:\n<text>\n\n---\n" blocks, each heading once per finding: Issue detail /
//   Issue description → description; Issue background / Issue remediation → impact; Remediation
//   detail / Remediation background → mitigation; References and Vulnerability classifications
//   → "- [text](href)" lines in references; classification texts before ":" →
//   vulnerability_ids, their CWE numbers → cwes (the first → cwe, else none); Request /
//   Response → request/response pairs (those of the title's last container). Dynamic, not static.
import BulwarkCore
import Foundation

/// Parses Burp Suite DAST / Enterprise HTML reports (`Burp Enterprise Scan`).
public struct BurpSuiteDASTParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "Burp Enterprise Scan", label: "Burp Enterprise Scan",
            summary: "Burp Suite Enterprise Edition (now Burp Suite DAST) HTML report.", version: 1,
            dedupe: .hashCode(fields: [.title, .severity, .cwe])),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do {
            return try Self.parse(input)
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func parse(_ input: ScanInput) throws(ParseError) -> ParseResult {
        if try input.isBlank() {
            throw ParseError(.empty, "The report is empty.")
        }
        let html = normalizedText(try input.readData())
        var report = BurpSuiteDASTReport()
        var failure: ParseError?
        var builder = HTMLTreeBuilder(sectionPath: ["html", "body", "div", "div"]) { section in
            guard failure == nil else { return }
            do throws(ParseError) {
                try report.read(section)
            } catch {
                failure = error
            }
        }
        HTMLTokenizer.forEachEvent(in: html) { builder.handle($0) }
        builder.finish()
        if let failure { throw failure }
        guard builder.sawDocumentTag else {
            throw ParseError(.unsupportedFormat, "The report is not an HTML document (no <html> or <body> tag).")
        }
        return try report.result()
    }

    /// The report as UTF-8 text (invalid bytes replaced) with `\r\n` and lone `\r` read as
    /// `\n`, as libxml2 reads HTML.
    private static func normalizedText(_ data: Data) -> String {
        guard data.contains(0x0D) else { return String(decoding: data, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count)
        var previousWasCR = false
        for byte in data {
            if byte == 0x0A, previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            bytes.append(previousWasCR ? 0x0A : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
