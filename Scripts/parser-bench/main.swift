// Parses one report with the registered parser and prints the finding count, the wall time and
// the process's peak resident memory. Built by Scripts/parser-bench/build.sh.
import BulwarkCore
import BulwarkParsers
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: parser-bench <scan type> <report file>\n".utf8))
    exit(2)
}
let file = URL(fileURLWithPath: arguments[2])
let clock = ContinuousClock()
let start = clock.now
do {
    let result = try ParserRegistry.parse(ScanInput(fileURL: file), as: ScanType(arguments[1]))
    let elapsed = clock.now - start
    // VmHWM in /proc/self/status is the peak resident set size.
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        .map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "?"
    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("\(arguments[1])  \(file.lastPathComponent)  \(String(format: "%.1f", Double(size) / 1_048_576)) MB  "
        + "\(result.findings.count) findings  \(String(format: "%.2f", seconds)) s  peak RSS \(peak)")
} catch {
    print("\(arguments[1])  \(file.lastPathComponent)  error: \(error)")
}
