import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Clair, Sysdig, Twistlock and Wiz: rules the goldens do not make obvious.
@Suite("Clair, Sysdig, Twistlock and Wiz parsers")
struct ContainerScannerParsersTests {
    @Test("klar reports are read in DefectDojo's severity order, not the file's")
    func klarOrder() throws {
        let findings = try ClairParser().parse(try Fixture.input("clair/klar_many_vulns.json")).findings
        #expect(findings.map(\.title).map { String($0.prefix(13)) } == ["CVE-2031-6201", "CVE-2031-6202", "CVE-2031-6200", "CVE-2031-6203"])
        #expect(findings.allSatisfy { $0.cwe == 1035 && $0.vulnerabilityIDs.isEmpty })
    }

    @Test("Sysdig CSV rows without a numeric CVSS version are left out, as DefectDojo does")
    func sysdigSkipsRows() throws {
        let findings = try SysdigCliParser().parse(try Fixture.input("sysdig_cli/many_vulns.csv")).findings
        #expect(findings.map(\.vulnIDFromTool) == ["CVE-2031-7100", "CVE-2031-7101", "CVE-2031-7104"])
        #expect(findings[0].riskAccepted && findings[0].epssScore == 0.5)
    }

    @Test("Sysdig reports without a file name are recognised by their content")
    func sysdigSniffing() throws {
        // Given the same JSON bytes without a name
        let data = try Fixture.data("sysdig_reports/one_vuln.json")

        // When parsing them
        let result = try SysdigReportsParser().parse(ScanInput(data: data))

        // Then they are read as JSON
        #expect(result.findings.map(\.title) == ["CVE-2031-8300_1.0.1f-1ubuntu2.27"])
    }

    @Test("Sysdig CSV errors name the line")
    func sysdigLine() throws {
        let error = parseError { try SysdigCliParser().parse(try Fixture.input("sysdig_cli/not_a_cve.csv")) }
        #expect(error?.position == .csv(line: 2, column: "cve id"))
        #expect(error?.reason == "Expected 'CVE' at the start but got: GHSA-1")
    }

    @Test("Twistlock CSV titles are shortened to 255 characters with an ellipsis")
    func twistlockShortTitles() throws {
        // Given a CSV row whose only title source is a long description
        let description = Array(repeating: "overflow", count: 60).joined(separator: " ")
        let csv = "CVE ID,Severity,Packages,Package Version,Description\n,high,,,\(description)\n"

        // When parsing it
        let finding = try #require(try TwistlockParser().parse(ScanInput(data: Data(csv.utf8), filename: "r.csv")).findings.first)

        // Then the title is cut at a word boundary and ends in "..."
        #expect(finding.title.count <= 255)
        #expect(finding.title.hasSuffix(" overflow..."))
    }

    @Test("Wiz resolved issues carry the resolution time, also in Wiz's own date format")
    func wizResolved() throws {
        // Given a resolved issue whose Resolved Time has fractional seconds and a zone name
        let csv = "Created At,Title,Severity,Status,Resolved Time,Issue ID,Remediation Recommendation\n"
            + "2031-02-01T10:00:00+02:00,Wildcards,High,RESOLVED,2031-02-03 20:20:00.43042 +0000 UTC,i-1,Fix.\n"

        // When parsing it
        let finding = try #require(try WizParser().parse(ScanInput(data: Data(csv.utf8), filename: "w.csv")).findings.first)

        // Then it is mitigated at that instant and dated by the UTC day it was created
        let resolved = try #require(ISO8601DateFormatter().date(from: "2031-02-03T20:20:00Z"))
        #expect(abs((finding.mitigated ?? .distantPast).timeIntervalSince(resolved) - 0.43042) < 0.001)
        #expect(finding.date == CalendarDate(year: 2031, month: 2, day: 1))
        #expect(finding.isMitigated && !finding.active)
    }
}
