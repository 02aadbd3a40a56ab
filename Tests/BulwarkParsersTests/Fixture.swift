import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Loads the hand-written reports under `Fixtures/<tool>/`.
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "Fixture \(path) is not in the test bundle." }
    }

    /// The URL of `Fixtures/<path>`, e.g. `zap/one_vuln.xml`.
    static func url(_ path: String) throws -> URL {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { throw Missing(path: path) }
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: path) }
        return url
    }

    /// The fixture as a file-backed scan input (the way the importer hands over uploads).
    static func input(_ path: String) throws -> ScanInput {
        ScanInput(fileURL: try url(path))
    }

    /// The fixture's bytes.
    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }
}

/// Runs `body` and returns the ``ParseError`` it throws (recording an issue when it does not).
func parseError(_ body: () throws -> ParseResult, sourceLocation: SourceLocation = #_sourceLocation) -> ParseError? {
    do {
        let result = try body()
        Issue.record("Expected a ParseError, got \(result.findings.count) findings", sourceLocation: sourceLocation)
        return nil
    } catch let error as ParseError {
        return error
    } catch {
        Issue.record("Expected a ParseError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
