import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Burp Enterprise Scan")
struct BurpSuiteDASTParserTests {
    private let parser = BurpSuiteDASTParser()

    @Test("a title listed on two sites is one finding with every row's endpoint, in table order")
    func endpointsAcrossSites() throws {
        let findings = try parser.parse(try Fixture.input("burp_suite_dast/many_vulns.html")).findings

        #expect(findings.map(\.title) == [
            "Strict transport security not enforced", "Cross-site scripting (reflected)", "Robots.txt file",
            "Unencrypted communications",
        ])
        #expect(findings[0].endpoints.map(\.canonicalString) == [
            "https://app.example.test/login", "https://app.example.test/api/v1/items?sort=name", "http://app.example.test",
        ])
        #expect(findings[2].severity == .info)
    }

    @Test("each heading is written once per finding; classifications of every container add up")
    func headingsOnce() throws {
        let finding = try #require(try parser.parse(try Fixture.input("burp_suite_dast/many_vulns.html")).findings.first)

        #expect(finding.description.hasPrefix("**Issue description**:\nThe application fails to prevent users from connecting over unencrypted connections.An attacker"))
        #expect(!finding.description.contains("Second instance"))
        #expect(finding.description.hasSuffix("**Issue detail**:\nThis instance was found on the API.\n\n---\n"))
        #expect(finding.cwe == 523 && finding.cwes == [523, 523])
        #expect(finding.vulnerabilityIDs == ["CWE-523", "CAPEC-94", "CWE-523"])
    }

    @Test("request/response pairs are those of the title's last issue container")
    func pairs() throws {
        let findings = try parser.parse(try Fixture.input("burp_suite_dast/many_vulns.html")).findings

        #expect(findings[0].requestResponsePairs == [
            RequestResponsePair(request: "GET /api/v1/items?sort=name HTTP/2\nHost: app.example.test", response: "HTTP/2 401 Unauthorized"),
            RequestResponsePair(request: "GET /api/v1/items?sort=price HTTP/2\nHost: app.example.test", response: ""),
        ])
        #expect(findings[2].requestResponsePairs == [
            RequestResponsePair(request: "", response: "HTTP/1.1 200 OK\n\nUser-agent: *\nDisallow: /admin"),
        ])
    }

    @Test("a finding without CWE classifications has no CWE")
    func noCWE() throws {
        let findings = try parser.parse(try Fixture.input("burp_suite_dast/many_vulns.html")).findings
        #expect(findings[2].cwe == nil && findings[2].cwes.isEmpty)
    }

    @Test("Snip markers are spelled out and tabs dropped in request/response text")
    func snip() throws {
        let html = """
            <div>GET / HTTP/1.1\n\tHost:  a<div class="snip"><span>Snip</span></div></div>
            """
        var sections: [HTMLElement] = []
        var builder = HTMLTreeBuilder(sectionPath: ["html", "body", "div"]) { sections.append($0) }
        HTMLTokenizer.forEachEvent(in: html) { builder.handle($0) }
        builder.finish()
        let section = try #require(sections.first)
        #expect(BurpSuiteDASTContent.text(of: section) == "GET / HTTP/1.1\nHost: a\n<-------------- Snip -------------->")
    }

    @Test("an issue described but listed in no table is an error naming it")
    func unknownTitle() throws {
        let error = try #require(parseError { try parser.parse(try Fixture.input("burp_suite_dast/unknown_title.html")) })
        #expect(error.code == .missingField)
        #expect(error.reason.contains("Described but never listed"))
    }
}
