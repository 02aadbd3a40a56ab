// Parses one report with the registered parser and prints the finding count, the wall time and
// the process's peak resident memory. Built and run by Scripts/bench-parsers.sh.
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
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    print(String(
        format: "%@  %@  %.1f MB  %d findings  %.2f s  peak RSS %.0f MB", arguments[1], file.lastPathComponent,
        Double(size) / 1_048_576, result.findings.count,
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, Double(usage.ru_maxrss) / 1024))
} catch {
    print("\(arguments[1])  \(file.lastPathComponent)  error: \(error)")
}
