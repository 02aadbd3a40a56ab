import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("Dependency-Check parser")
struct DependencyCheckParserTests {
    private let parser = DependencyCheckParser()

    @Test("elements outside the root's namespace are not read, as with ElementTree")
    func namespaceFromRoot() throws {
        // Given a report whose dependency list is in another namespace than the root
        let xml = """
            <analysis xmlns="urn:dc"><dependencies xmlns="urn:other"><dependency><fileName>a.jar</fileName>
            <vulnerabilities><vulnerability><name>CVE-1</name><description>d</description></vulnerability></vulnerabilities>
            </dependency></dependencies></analysis>
            """

        // When parsed, then nothing is found
        #expect(try parser.parse(ScanInput(data: Data(xml.utf8))).findings.isEmpty)
    }

    @Test("a dependency with vulnerabilities but no file name is an error at its line")
    func missingFileName() throws {
        let error = parseError { try parser.parse(Fixture.input("dependency_check/no_filename.xml")) }
        #expect(error?.code == .missingField)
        #expect(error?.position == .text(line: 13, column: 1))
    }

    @Test("CVSS v3 scores: base and the environmental score DefectDojo stores", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 9.8, "Critical"),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 3.7, 3.7, "Low"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 10.0, "Critical"),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 8.8, 8.8, "High"),
        ("CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0, 0.0, "None"),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, 5.4, "Medium"),
    ])
    func cvss(_ vector: String, _ base: Double, _ environmental: Double, _ severity: String) throws {
        let parsed = try #require(CVSS3Vector(vector))
        #expect(parsed.baseScore == base)
        #expect(parsed.environmentalScore == environmental)
        #expect(parsed.baseSeverity == severity)
        #expect(parsed.cleanVector == vector)
    }

    @Test("invalid CVSS vectors are refused", arguments: ["CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N"])
    func invalidCVSS(_ vector: String) {
        #expect(CVSS3Vector(vector) == nil)
    }

    @Test("package URLs read like packageurl-python")
    func packageURLs() throws {
        let maven = try PackageURL(parsing: "pkg:maven/org.dom4j/dom4j@2.1.1.redhat-00001?type=jar#sub")
        #expect(maven.type == "maven")
        #expect(maven.namespace == "org.dom4j")
        #expect(maven.name == "dom4j")
        #expect(maven.version == "2.1.1.redhat-00001")
        let scoped = try PackageURL(parsing: "pkg:npm/@babel/core@7.0.0")
        #expect(scoped.namespace == "@babel")
        #expect(scoped.name == "core")
        let pypi = try PackageURL(parsing: "pkg:PyPI/Django_Rest@3.1")
        #expect(pypi.type == "pypi")
        #expect(pypi.name == "django-rest")
        let bare = try PackageURL(parsing: "pkg:generic/openssl")
        #expect(bare.namespace == nil && bare.version == nil)
        for invalid in ["npm/x@1", "pkg:", "pkg:npm", "pkg:1npm/x", "pkg:npm/@1.0"] {
            #expect(throws: PackageURL.Invalid.self) { try PackageURL(parsing: invalid) }
        }
    }

    @Test("CPE names in both syntaxes")
    func cpe() {
        let uri = DependencyCheckMapping.cpeParts("cpe:/a:apache:struts:2.3.20")
        #expect(uri?.vendor == "apache" && uri?.product == "struts" && uri?.version == "2.3.20")
        let formatted = DependencyCheckMapping.cpeParts("cpe:2.3:a:xmlsoft:libxml2:2.9.4:*:*:*:*:*:*:*")
        #expect(formatted?.vendor == "xmlsoft" && formatted?.product == "libxml2" && formatted?.version == "2.9.4")
        #expect(DependencyCheckMapping.cpeParts("(cpe:/a:apache:struts:2.3.20)") == nil)
        #expect(DependencyCheckMapping.cpeParts("cpe:2.3:a:short") == nil)
    }
}
