import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Trufflehog and Yarn Audit read JSON Lines: errors name the report's line, and the format
/// choice follows DefectDojo's.
@Suite("JSON Lines parsers")
struct JSONLinesParsersTests {
    @Test("a broken trufflehog line is reported with its line number")
    func trufflehogLine() throws {
        let error = parseError { try TrufflehogParser().parse(try Fixture.input("trufflehog/truncated.json")) }
        #expect(error?.code == .malformedInput)
        guard case .text(let line, _)? = error?.position else {
            Issue.record("expected a text position, got \(String(describing: error?.position))")
            return
        }
        #expect(line == 2)
    }

    @Test("CRLF and LF trufflehog reports give the same findings")
    func lineEndings() throws {
        let crlf = try TrufflehogParser().parse(try Fixture.input("trufflehog/crlf.json")).findings
        let lf = try TrufflehogParser().parse(try Fixture.input("trufflehog/many_vulns.json")).findings
        #expect(crlf.map(\.title) == Array(lf.prefix(2)).map(\.title))
        #expect(crlf.first?.description == lf.first?.description)
    }

    @Test("repeated trufflehog secrets merge into the first finding")
    func repeats() throws {
        let findings = try TrufflehogParser().parse(try Fixture.input("trufflehog/many_vulns.json")).findings
        let key = try #require(findings.first { $0.filePath == "deploy/id_rsa" })
        #expect(key.numberOfOccurrences == 2)
        #expect(key.description.components(separatedBy: "**Reason:** PrivateKey").count == 3)
    }

    @Test("an unknown first line gives no findings and a warning, as DefectDojo returns none")
    func unknownShape() throws {
        let result = try TrufflehogParser().parse(try Fixture.input("trufflehog/unknown_shape.json"))
        #expect(result.findings.isEmpty)
        #expect(result.warnings.count == 1)
    }

    @Test("a yarn error line fails the import and names the line")
    func yarnError() throws {
        let error = parseError { try YarnAuditParser().parse(try Fixture.input("yarn_audit/error_line.json")) }
        #expect(error?.code == .invalidValue)
        #expect(error?.position == .text(line: 2, column: 1))
        #expect(error?.reason.hasPrefix("yarn audit report contains errors:") == true)
    }
}
