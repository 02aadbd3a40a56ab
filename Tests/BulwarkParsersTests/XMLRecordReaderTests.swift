import BulwarkCore
@testable import BulwarkParsers
import Foundation
import Testing

@Suite("XML record reader")
struct XMLRecordReaderTests {
    /// Reads `xml` and returns the records handed over, plus the summary.
    private func records(
        _ xml: String, _ reader: XMLRecordReader
    ) throws(ParseError) -> ([XMLRecord], XMLDocumentSummary) {
        var collected: [XMLRecord] = []
        let summary = try reader.read(ScanInput(data: Data(xml.utf8))) { record throws(ParseError) in
            collected.append(record)
        }
        return (collected, summary)
    }

    private func error(_ xml: String, _ reader: XMLRecordReader = XMLRecordReader(records: ["r"])) -> ParseError? {
        do {
            _ = try records(xml, reader)
            Issue.record("expected a ParseError")
            return nil
        } catch {
            return error
        }
    }

    @Test("records are handed over in order with nested children, ancestors and headers")
    func nesting() throws {
        // Given a report with a header, two queries and results nested in paths
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Results ScanStart="2024-01-02">
              <Scan><Tool>cx</Tool></Scan>
              <Query name="SQL_Injection" cweId="89">lead
                <Result Severity="High"><Path><PathNode><FileName>a.java</FileName><Line>3</Line></PathNode>
                  <PathNode><FileName>b.java</FileName><Line>9</Line></PathNode></Path></Result>
                <Result Severity="Low"/>
              </Query>
              <Query name="XSS"><Result Severity="Medium"><Result>inner</Result></Result></Query>
            </Results>
            """
        let reader = XMLRecordReader(records: ["/Results/Query/Result"], headers: ["Scan"], rootNames: ["Results"])

        // When it is read
        let (found, summary) = try records(xml, reader)

        // Then each outer Result is one record, with its subtree and its context
        #expect(found.map { $0.element.attribute("Severity") } == ["High", "Low", "Medium"])
        #expect(found.map(\.index) == [0, 1, 2])
        let first = try #require(found.first)
        #expect(first.element.findAll("Path/PathNode").compactMap { $0.findText("FileName") } == ["a.java", "b.java"])
        #expect(first.element.find("Path/PathNode[2]/Line")?.text == "9")
        #expect(first.element.find(".//FileName")?.text == "a.java")
        #expect(first.element.find("Path/PathNode[last()]/FileName")?.text == "b.java")
        #expect(first.element.find("Path/PathNode[FileName='b.java']/Line")?.text == "9")
        #expect(first.ancestor("Query")?.attribute("cweId") == "89")
        #expect(first.ancestor("Query")?.text?.hasPrefix("lead") == true)
        #expect(first.ancestor("Query")?.children.isEmpty == true)
        #expect(first.root.attribute("ScanStart") == "2024-01-02")
        #expect(first.header("Scan")?.findText("Tool") == "cx")
        #expect(first.element.line == 5)
        #expect(found[1].element.text == nil)
        #expect(found[1].element.findText("Missing") == nil)
        #expect(found[2].ancestor("Query")?.attribute("name") == "XSS")
        #expect(found[2].element.find("Result")?.text == "inner")
        #expect(summary.recordCount == 3)
        #expect(summary.root.localName == "Results")
        #expect(summary.header("Scan") != nil)
    }

    @Test("a local-name pattern matches at any depth and namespaced elements follow ElementTree rules")
    func namespaces() throws {
        // Given a report with a default namespace and a prefixed one
        let xml = """
            <report xmlns="urn:dc" xmlns:x="urn:ext">
              <dependency><vulnerabilities>
                <vulnerability x:source="NVD" kind="cve"><name>CVE-1</name><x:note>n</x:note></vulnerability>
              </vulnerabilities></dependency>
            </report>
            """

        // When records are selected by local name
        let (found, _) = try records(xml, XMLRecordReader(records: ["vulnerability"]))

        // Then find needs the namespace, as ElementTree does, in each spelling
        let vulnerability = try #require(found.first?.element)
        #expect(vulnerability.tag == "{urn:dc}vulnerability")
        #expect(vulnerability.find("name") == nil)
        #expect(vulnerability.findText("{urn:dc}name") == "CVE-1")
        #expect(vulnerability.findText("{*}name") == "CVE-1")
        #expect(vulnerability.findText("d:name", namespaces: ["d": "urn:dc"]) == "CVE-1")
        #expect(vulnerability.findText("name", namespaces: ["": "urn:dc"]) == "CVE-1")
        #expect(vulnerability.findText("{urn:ext}note") == "n")
        #expect(vulnerability.findAll("{urn:dc}*").count == 1)
        #expect(vulnerability.attribute("{urn:ext}source") == "NVD")
        #expect(vulnerability.attribute("x:source", namespaces: ["x": "urn:ext"]) == "NVD")
        #expect(vulnerability.attribute("kind") == "cve")
        #expect(vulnerability.attributes.keys.contains("xmlns") == false)
        #expect(found.first?.root.namespaceURI == "urn:dc")
    }

    @Test("namespaced patterns select only their namespace")
    func namespacedPattern() throws {
        let xml = "<r xmlns:a=\"urn:a\"><a:item>1</a:item><item>2</item></r>"
        let (qualified, _) = try records(xml, XMLRecordReader(records: ["{urn:a}item"]))
        let (plain, _) = try records(xml, XMLRecordReader(records: ["{}item"]))
        #expect(qualified.map(\.element.text) == ["1"])
        #expect(plain.map(\.element.text) == ["2"])
    }

    @Test("CDATA, entities, text and tails read like ElementTree")
    func textAndCDATA() throws {
        // Given text split by entities, CDATA and child elements
        let xml = "<r><rec a=\"x &amp; y\">one &lt;b&gt; <![CDATA[<raw> & stuff]]><i>it</i>tail<i/>end</rec></r>"

        // When read
        let (found, _) = try records(xml, XMLRecordReader(records: ["rec"]))

        // Then the pieces land in text, tail and attributes
        let node = try #require(found.first?.element)
        #expect(node.text == "one <b> <raw> & stuff")
        #expect(node.children.first?.tail == "tail")
        #expect(node.children.last?.tail == "end")
        #expect(node.allText == "one <b> <raw> & stuffittailend")
        #expect(node.attribute("a") == "x & y")
    }

    @Test("paths outside the supported subset select nothing")
    func unsupportedPaths() {
        let node = XMLElementNode(qualifiedName: "a", children: [XMLElementNode(qualifiedName: "b")])
        for path in ["/b", "..", "b/", "p:b", "b[", "b[@]", "{urn:x"] {
            #expect(node.find(path) == nil, "\(path)")
        }
        #expect(node.find("./b")?.localName == "b")
        #expect(node.findAll("*").count == 1)
    }

    @Test("malformed XML names its line")
    func malformedPosition() {
        // Given a mismatched closing tag on line 3
        let xml = "<r>\n<rec>\n<a></b>\n</rec></r>"

        // When read, then the error names line 3
        let failure = error(xml)
        #expect(failure?.code == .malformedInput)
        if case .text(let line, _)? = failure?.position { #expect(line == 3) } else { Issue.record("no text position") }
    }

    @Test("a truncated report is an error even after records were handed over")
    func truncated() {
        let xml = "<r><rec>1</rec><rec>2</rec><rec>3"
        #expect(error(xml)?.code == .malformedInput)
    }

    @Test("an empty report, a wrong root and a record error are ParseErrors")
    func otherErrors() {
        #expect(error("  \n")?.code == .empty)
        let wrongRoot = error("<other/>", XMLRecordReader(records: ["r"], rootNames: ["Report"], formatName: "Test"))
        #expect(wrongRoot?.code == .unsupportedFormat)
        #expect(wrongRoot?.reason.contains("<Report>") == true)
        do {
            _ = try XMLRecordReader(records: ["rec"]).read(ScanInput(data: Data("<r>\n<rec/></r>".utf8))) { record throws(ParseError) in
                throw record.element.error(.invalidValue, "bad record")
            }
            Issue.record("expected the closure's error")
        } catch {
            #expect(error.reason == "bad record")
            #expect(error.position == .text(line: 2, column: 1))
        }
        let node = XMLElementNode(qualifiedName: "Result", line: 7)
        #expect(throws: ParseError.self) { try node.requiredAttribute("Severity") }
        #expect(throws: ParseError.self) { try node.requiredElement("Path") }
    }

    @Test("an entity bomb is refused before parsing")
    func entityBomb() {
        // Given a billion-laughs document
        var entities = "<!ENTITY l0 \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\(entities)]><r><rec>&l9;</rec></r>"

        // When read, then it is a ParseError at the first declaration
        let failure = error(xml)
        #expect(failure?.code == .unsupportedFormat)
        #expect(failure?.position == .text(line: 2, column: 14))
    }

    @Test("external and parameter entities are refused; a DOCTYPE without entities is read")
    func externalEntities() throws {
        let external = "<!DOCTYPE r [<!ENTITY secret SYSTEM \"file:///etc/hostname\">]><r><rec>&secret;</rec></r>"
        #expect(error(external)?.code == .unsupportedFormat)
        let parameter = "<!DOCTYPE r [<!-- c --><!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]><r/>"
        #expect(error(parameter)?.code == .unsupportedFormat)
        let utf16 = Data([0xFF, 0xFE]) + (try #require(external.data(using: .utf16LittleEndian)))
        #expect(throws: ParseError.self) { try XMLRecordReader(records: ["rec"]).read(ScanInput(data: utf16)) { _ throws(ParseError) in } }
        let (found, _) = try records("<!DOCTYPE r SYSTEM \"r.dtd\" [<!ELEMENT r ANY>]><r><rec>ok</rec></r>", XMLRecordReader(records: ["rec"]))
        #expect(found.map(\.element.text) == ["ok"])
    }

    @Test("deep nesting is refused instead of overflowing the stack")
    func deepNesting() {
        let depth = 5_000
        let xml = "<r>" + String(repeating: "<rec>", count: depth) + String(repeating: "</rec>", count: depth) + "</r>"
        #expect(error(xml)?.code == .malformedInput)
    }
}
