// SSLyze Scan (JSON) and Sslyze Scan — SSLyze TLS configuration scanner output.
//
// Formats: JSON output of SSLyze 3/4 (`server_info`, `scan_commands_results`) and 5+
// (`server_location`, `scan_result` with `status`/`result` per command); XML output of SSLyze
// 1.x/2.x (`document` → `results` → `target`), streamed. Both scan types read both formats, as in
// DefectDojo: the file name picks the reader (".xml" or ".json"); without one the first byte does.
//
// Fixtures: Tests/BulwarkParsersTests/Fixtures/sslyze/{no_vuln,one_vuln,many_vulns}.json
// ("SSLyze Scan (JSON)", SSLyze 5 layout) and .xml ("Sslyze Scan"), plus the SSLyze 3 layout,
// unreachable servers, NOT_SCHEDULED commands, and malformed ones (truncated, wrong root/shape).
//
// Field mapping, JSON (dojo/tools/sslyze/parser_json.py), per server at most one finding each for:
//   heartbleed (CVE-2014-0160), openssl_ccs_injection (CVE-2014-0224), session_renegotiation,
//   SSL 2.0 / SSL 3.0 / TLS 1.0 / TLS 1.1 accepted ("<v> not recommended"), TLS 1.2 / TLS 1.3
//   suites outside the BSI list ("Unrecommended cipher suites for <v>", suites listed),
//   certificate deployments (hostname mismatch, path validation errors per trust store).
//   title "<problem> (host:port)"   description "host:port <detail>"   severity Medium   static
//   references: the BSI guideline for protocol findings   endpoint host + port (no scheme).
// Field mapping, XML (dojo/tools/sslyze/parser_xml.py), per target command element:
//   heartbleed/openSslHeartbleed isVulnerable, openssl_ccs/openSslCcsInjection isVulnerable,
//   reneg/sessionRenegotiation isSecure="False" → "<title> | <host>"; a supported protocol with
//   weak accepted/preferred suites → "<protocol> | Weak Ciphers | <host>" (suites listed)
//   severity Info   dynamic   endpoint tlsWrappedProtocol://host:port   same title and
//   description kept once.
//
// Differences from DefectDojo: a server without a scan result (SSLyze 5 writes null for one it
// could not reach) and a command whose result is null are skipped (DefectDojo raises TypeError);
// a name ending in neither ".xml" nor ".json" is sniffed instead of refused.
import BulwarkCore

/// Parses SSLyze JSON and XML reports (`SSLyze Scan (JSON)`, `Sslyze Scan`).
public struct SslyzeParser: ScanParser {
    public static let descriptors = [
        ParserDescriptor(
            scanType: "SSLyze Scan (JSON)", label: "SSLyze Scan (JSON)",
            summary: "SSLyze JSON output of version 3 or later.", version: 1,
            dedupe: .hashCode(fields: [.title, .description])),
        ParserDescriptor(
            scanType: "Sslyze Scan", label: "Sslyze Scan",
            summary: "SSLyze XML output of version 1 or 2.", version: 1, dedupe: .legacy),
    ]

    public init() {}

    public func parse(_ input: ScanInput, as scanType: ScanType) throws(ParseError) -> ParseResult {
        do throws(ParseError) {
            if try Self.isXML(input) {
                return ParseResult(findings: try SslyzeXMLReport.findings(in: input))
            }
            return ParseResult(findings: try SslyzeJSONReport.findings(in: input))
        } catch {
            throw error.naming(scanType)
        }
    }

    private static func isXML(_ input: ScanInput) throws(ParseError) -> Bool {
        if let match = ReportFormatChoice.extensionMatch(of: input, among: ["xml", "json"]) {
            return match == "xml"
        }
        return try ReportFormatChoice.firstSignificantByte(of: input) == UInt8(ascii: "<")
    }
}
