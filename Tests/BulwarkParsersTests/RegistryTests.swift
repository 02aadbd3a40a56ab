import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

@Suite("ParserRegistry")
struct RegistryTests {
    @Test("scan types are unique")
    func uniqueScanTypes() {
        #expect(ParserRegistry.duplicateScanTypes().isEmpty)
        let scanTypes = ParserRegistry.descriptors.map(\.scanType)
        #expect(Set(scanTypes).count == scanTypes.count)
    }

    @Test("the README's table of scan types is exactly the registry")
    func documentedScanTypes() throws {
        // Given the README's "Supported scan types" table (rows of the form | `Scan Type` | format |)
        let readme = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "<!-- scan-types:begin -->").flatMap { begin in
            text.range(of: "<!-- scan-types:end -->").map { text[begin.upperBound..<$0.lowerBound] }
        }, "README.md has no scan-types table")
        let documented = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
        }

        // Then it lists every registered scan type once, sorted, and nothing else
        #expect(documented == ParserRegistry.descriptors.map(\.scanType.rawValue))
    }

    @Test("descriptors are sorted and complete")
    func descriptors() {
        let descriptors = ParserRegistry.descriptors
        #expect(descriptors.map(\.scanType) == descriptors.map(\.scanType).sorted())
        for descriptor in descriptors {
            #expect(!descriptor.label.isEmpty)
            #expect(!descriptor.summary.isEmpty)
            #expect(descriptor.version >= 1)
            #expect(descriptor.requiresFile)
        }
    }

    @Test("dedupe settings are DefectDojo's (import-semantics §8)")
    func dedupeSettings() throws {
        let zap = try #require(ParserRegistry.descriptor(for: "ZAP Scan")).dedupe
        #expect(zap == DedupeConfiguration(algorithm: .hashCode, hashFields: [.title, .cwe, .severity], allowsNullCWE: false))
        let sarif = try #require(ParserRegistry.descriptor(for: "SARIF")).dedupe
        #expect(sarif == DedupeConfiguration(algorithm: .uniqueIDFromToolOrHashCode, hashFields: nil, allowsNullCWE: true))
        let generic = try #require(ParserRegistry.descriptor(for: "Generic Findings Import")).dedupe
        #expect(generic == DedupeConfiguration(algorithm: .hashCode, hashFields: nil, allowsNullCWE: true))
    }

    @Test("meta formats say their reports name a tool")
    func metaFormats() throws {
        #expect(try #require(ParserRegistry.descriptor(for: "SARIF")).namesToolInReport)
        #expect(try #require(ParserRegistry.descriptor(for: "Generic Findings Import")).namesToolInReport)
        #expect(try !#require(ParserRegistry.descriptor(for: "ZAP Scan")).namesToolInReport)
    }

    @Test("lookup is exact and case-sensitive")
    func lookup() {
        #expect(ParserRegistry.parser(for: "ZAP Scan") is ZapParser)
        #expect(ParserRegistry.parser(for: "zap scan") == nil)
        #expect(ParserRegistry.descriptor(for: "Nessus Scan") == nil)
    }

    @Test("parsing through the registry names the scan type in errors")
    func unknownScanType() {
        let error = parseError { try ParserRegistry.parse(ScanInput(data: Data("{}".utf8)), as: "Nessus Scan") }
        #expect(error?.code == .unknownScanType)
        #expect(error?.reason == "\"Nessus Scan\" is not a valid choice.")
    }
}
