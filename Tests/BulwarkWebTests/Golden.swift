import Foundation
import Testing

/// Golden HTML files: a view rendered from fixed model values must equal `Golden/<name>.html`.
///
/// Plain files instead of swift-snapshot-testing keep the test target free of swift-syntax (a
/// long build on this machine). Run with `BULWARK_RECORD_GOLDEN=1` to write the files after an
/// intended change, then review the diff.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Pretty-prints one tag per line so diffs stay readable.
    static func readable(_ html: String) -> String {
        html.replacingOccurrences(of: "><", with: ">\n<") + "\n"
    }

    static func check(_ html: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent("\(name).html")
        let actual = readable(html)
        if ProcessInfo.processInfo.environment["BULWARK_RECORD_GOLDEN"] == "1" || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            if ProcessInfo.processInfo.environment["BULWARK_RECORD_GOLDEN"] != "1" {
                Issue.record("Recorded a new golden file \(name).html; check it and run again", sourceLocation: sourceLocation)
            }
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false), a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
            let want = line < e.count ? String(e[line]) : "<end>", got = line < a.count ? String(a[line]) : "<end>"
            Issue.record("\(name).html differs at line \(line + 1):\n expected: \(want)\n   actual: \(got)", sourceLocation: sourceLocation)
        }
    }
}
