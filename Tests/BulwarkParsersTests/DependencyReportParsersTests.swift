import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// pip-audit, OSV and Semgrep behaviour the goldens show less clearly.
@Suite("pip-audit, OSV and Semgrep parsers")
struct DependencyReportParsersTests {
    @Test("pip-audit: the legacy list and the current object map the same way")
    func pipAuditLayouts() throws {
        let legacy = try PipAuditParser().parse(try Fixture.input("pip_audit/legacy_many_vulns.json")).findings
        #expect(legacy.map(\.title) == ["PYSEC-2020-96 in pyyaml:5.3", "PYSEC-2021-35 in pillow:8.0.0"])
        #expect(legacy.allSatisfy { $0.cwe == 1395 && $0.severity == .medium })
        let error = parseError { try PipAuditParser().parse(try Fixture.input("pip_audit/missing_name.json")) }
        #expect(error?.position == .jsonPath("$.dependencies[0]"))
    }

    @Test("OSV: a file that is not JSON gives no findings, as in DefectDojo, with a warning")
    func osvNotJSON() throws {
        let result = try OsvScannerParser().parse(try Fixture.input("osv_scanner/truncated.json"))
        #expect(result.findings.isEmpty)
        #expect(result.warnings.first?.contains("not valid JSON") == true)
    }

    @Test("OSV: an unknown severity is refused like the importer refuses it")
    func osvSeverity() throws {
        let error = parseError { try OsvScannerParser().parse(try Fixture.input("osv_scanner/unknown_severity.json")) }
        #expect(error?.code == .unsupportedSeverity)
        #expect(error?.position == .jsonPath("$.results[0].packages[0].vulnerabilities[0].database_specific.severity"))
    }

    @Test("Semgrep: repeats of check, path and line count as occurrences of the first")
    func semgrepRepeats() throws {
        let findings = try SemgrepParser().parse(try Fixture.input("semgrep/many_vulns.json")).findings
        #expect(findings.count == 5)
        #expect(findings[0].numberOfOccurrences == 2)
        #expect(findings[0].description.contains("eval(request.args.get('expr'))"))
    }

    @Test("Semgrep: an unknown severity names the result")
    func semgrepSeverity() throws {
        let error = parseError { try SemgrepParser().parse(try Fixture.input("semgrep/unknown_severity.json")) }
        #expect(error?.message == "Unknown value for severity: SEVERE (at $.results[0].extra.severity)")
    }
}
