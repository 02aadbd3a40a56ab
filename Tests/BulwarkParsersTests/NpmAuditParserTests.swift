import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

/// What the npm audit goldens do not show well: hash censoring rules, refusal messages and
/// error positions.
@Suite("NPM Audit parsers")
struct NpmAuditParserTests {
    @Test("a run of 64 lowercase hex characters is censored, shorter or upper-case runs are kept")
    func censoring() {
        let hash = String(repeating: "ab12", count: 16)
        #expect(NpmAuditParser.censorGitHashes("\(hash)>dep") == "censored_by_npm_audit>dep")
        #expect(NpmAuditParser.censorGitHashes(hash + "f>x") == "censored_by_npm_audit" + "f>x")
        #expect(NpmAuditParser.censorGitHashes(hash.uppercased()) == hash.uppercased())
        #expect(NpmAuditParser.censorGitHashes("") == nil)
    }

    @Test("npm 7 reports and error reports are refused with DefectDojo's reasons")
    func refusals() throws {
        // Given an npm 7 report and an error report
        // When parsing them as NPM Audit Scan
        let v7 = parseError { try NpmAuditParser().parse(try Fixture.input("npm_audit/npm7_report.json")) }
        let failed = parseError { try NpmAuditParser().parse(try Fixture.input("npm_audit/error_report.json")) }

        // Then the errors say why and where
        #expect(v7?.code == .unsupportedVersion)
        #expect(v7?.reason.contains("NPM Audit v7+ Scan") == true)
        #expect(failed?.message == "npm audit report contains errors: ENOLOCK, This command requires an existing lockfile. (at $.error)")
        #expect(failed?.scanType == "NPM Audit Scan")
    }

    @Test("a missing advisory field names the advisory")
    func missingField() throws {
        let error = parseError { try NpmAuditParser().parse(try Fixture.input("npm_audit/missing_title.json")) }
        #expect(error?.code == .missingField)
        #expect(error?.position == .jsonPath("$.advisories.5"))
    }

    @Test("npm 7+: older reports are refused, a dangling effect names the entry")
    func sevenPlusErrors() throws {
        let old = parseError { try NpmAudit7PlusParser().parse(try Fixture.input("npm_audit_7_plus/v6_report.json")) }
        #expect(old?.code == .unsupportedVersion)
        let dangling = parseError { try NpmAudit7PlusParser().parse(try Fixture.input("npm_audit_7_plus/dangling_effect.json")) }
        #expect(dangling?.reason.contains("missing-package") == true)
    }
}
