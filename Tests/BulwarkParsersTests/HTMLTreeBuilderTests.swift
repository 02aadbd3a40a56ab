@testable import BulwarkParsers
import Testing

@Suite("HTML tree builder")
struct HTMLTreeBuilderTests {
    private func sections(_ html: String, path: [String] = ["html", "body", "div"]) -> [HTMLElement] {
        var sections: [HTMLElement] = []
        var builder = HTMLTreeBuilder(sectionPath: path) { sections.append($0) }
        HTMLTokenizer.forEachEvent(in: html) { builder.handle($0) }
        builder.finish()
        return sections
    }

    @Test("html and body are implied, and only elements at the section path are handed over")
    func impliedDocument() throws {
        let found = sections("<div id=a><div id=inner></div></div>text<div id=b></div>")
        #expect(found.map { $0.attribute("id") } == ["a", "b"])
        #expect(found.first?.children.first?.attribute("id") == "inner")
    }

    @Test("a new p or block closes an open p; a new li closes an open li; a new td closes an open td")
    func impliedEnds() throws {
        let div = try #require(sections("<div><p>one<p>two<ul><li>a<li>b</ul><table><tr><td>x<td>y</table></div>").first)
        #expect(div.children.map(\.name) == ["p", "p", "ul", "table"])
        #expect(div.children[2].children.map(\.textContent) == ["a", "b"])
        #expect(div.children[3].children.first?.children.map(\.textContent) == ["x", "y"])
    }

    @Test("a stray end tag is ignored and an end tag does not close past a table cell")
    func strayEndTags() throws {
        let div = try #require(sections("<div><table><tr><td><span>x</div></span>y</td></tr></table>z</div>").first)
        #expect(div.textContent == "xyz")
        #expect(div.children.map(\.name) == ["table"])
        #expect(div.children.first?.tail == "z")
    }

    @Test("text, tails and entities land where lxml puts them")
    func textAndTails() throws {
        let div = try #require(sections("<div>a &amp; b<br>c&#233;<b>d</b>e&unknown;</div>").first)
        #expect(div.text == "a & b")
        #expect(div.children.map(\.tail) == ["cé", "e&unknown;"])
        #expect(div.textContent == "a & bcéde&unknown;")
    }

    @Test("nesting deeper than the limit is flattened instead of recursing without bound")
    func depthLimit() throws {
        let html = "<div>" + String(repeating: "<span>", count: 5_000) + "deep" + "</div>"
        let div = try #require(sections(html).first)
        var depth = 0
        var node = div
        while let child = node.children.first {
            depth += 1
            node = child
        }
        #expect(depth < HTMLTreeBuilder.maximumDepth)
        #expect(div.textContent == "deep")
    }
}
