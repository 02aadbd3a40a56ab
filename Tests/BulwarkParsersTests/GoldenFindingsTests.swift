import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Golden-file parser tests, discovered from the fixture folders rather than listed by hand.
///
/// Every `Fixtures/<tool>/<report>.golden.json` names a scan type and a report beside it, and
/// holds the findings our parser must produce for that report, in order, every field included:
///
/// ```json
/// {"scan_type": "Gosec Scanner", "report": "many_vulns.json", "findings": [ … ]}
/// ```
///
/// To add one, write the first two keys by hand and run the tests with `BULWARK_RECORD_GOLDEN=1`:
/// the findings are then written into the source tree (review them before committing). A golden
/// file may instead hold `"error_code"` (a ``ParseError/Code`` name) for a report that must fail.
@Suite("Golden findings")
struct GoldenFindingsTests {
    @Test("each report parses to its golden findings", arguments: GoldenFile.all)
    func golden(_ golden: GoldenFile) throws {
        // Given a fixture report and its golden file
        let input = ScanInput(fileURL: golden.reportURL)

        // When the registered parser reads it
        let outcome = Result { try ParserRegistry.parse(input, as: ScanType(golden.content.scanType)) }

        // Then the findings (or the error) are exactly the recorded ones
        if GoldenFile.recording {
            try golden.record(outcome)
            return
        }
        if let code = golden.content.errorCode {
            switch outcome {
            case .success(let result):
                Issue.record("\(golden.name): expected a \(code) error, got \(result.findings.count) findings")
            case .failure(let error):
                #expect((error as? ParseError)?.code.description == code, "\(golden.name): \(error)")
            }
            return
        }
        let result = try outcome.get()
        let expected = try #require(golden.content.findings, "\(golden.name) has no findings yet: run with BULWARK_RECORD_GOLDEN=1")
        #expect(result.findings.count == expected.count, "finding count of \(golden.name)")
        // Compared as the golden text they encode to: dates are stored to the second, so a parser's
        // sub-second time (Wiz's resolved times) matches what was recorded.
        for (index, (actual, wanted)) in zip(result.findings, expected).enumerated()
        where GoldenFile.json(actual) != GoldenFile.json(wanted) {
            Issue.record("""
                \(golden.name): finding \(index) differs.
                expected: \(GoldenFile.json(wanted))
                actual:   \(GoldenFile.json(actual))
                """)
            break
        }
    }

    @Test("every registered scan type has golden no, one and many reports")
    func everyScanTypeHasGoldens() {
        for descriptor in ParserRegistry.descriptors {
            let reports = GoldenFile.all.filter { $0.content.scanType == descriptor.scanType.rawValue && $0.content.errorCode == nil }
            let names = Set(reports.map { $0.reportURL.deletingPathExtension().lastPathComponent })
            for required in ["no_vuln", "one_vuln", "many_vulns"] {
                #expect(names.contains(required), "\(descriptor.scanType): no golden \(required) report")
            }
        }
    }
}

/// One golden file and the report it describes.
struct GoldenFile: Sendable, CustomTestStringConvertible {
    /// The golden file's contents.
    struct Content: Codable, Sendable {
        var scanType: String
        var report: String
        var findings: [Finding]?
        var errorCode: String?

        enum CodingKeys: String, CodingKey {
            case scanType = "scan_type", report, findings, errorCode = "error_code"
        }
    }

    /// `<tool>/<report>.golden.json`.
    let name: String
    let url: URL
    let content: Content

    var reportURL: URL { url.deletingLastPathComponent().appendingPathComponent(content.report) }
    var testDescription: String { name }

    /// Whether the run records findings instead of comparing them.
    static let recording = ProcessInfo.processInfo.environment["BULWARK_RECORD_GOLDEN"] == "1"

    /// Every golden file under the test bundle's `Fixtures/`, sorted by name.
    static let all: [GoldenFile] = {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
              let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [GoldenFile] = []
        for case let url as URL in enumerator where url.lastPathComponent.hasSuffix(".golden.json") {
            let name = url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
            guard let data = try? Data(contentsOf: url), let content = try? JSONDecoder.golden.decode(Content.self, from: data) else {
                // An unreadable golden file must fail loudly rather than vanish from the run.
                files.append(GoldenFile(name: name, url: url, content: Content(scanType: "(unreadable golden file)", report: "")))
                continue
            }
            files.append(GoldenFile(name: name, url: url, content: content))
        }
        return files.sorted { $0.name < $1.name }
    }()

    /// Writes the outcome into the golden file of the source tree.
    func record(_ outcome: Result<ParseResult, any Error>) throws {
        var content = self.content
        switch outcome {
        case .success(let result):
            content.findings = result.findings
            content.errorCode = nil
        case .failure(let error):
            content.findings = nil
            content.errorCode = (error as? ParseError)?.code.description ?? "\(error)"
        }
        let source = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        try JSONEncoder.golden.encode(content).write(to: source)
    }

    /// One finding as sorted JSON, for failure messages.
    static func json(_ finding: Finding) -> String {
        (try? JSONEncoder.golden.encode(finding)).map { String(decoding: $0, as: UTF8.self) } ?? "\(finding)"
    }
}

extension JSONEncoder {
    /// Sorted, pretty, ISO dates: stable text for golden files.
    static var golden: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    /// The decoder matching ``JSONEncoder/golden``.
    static var golden: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
