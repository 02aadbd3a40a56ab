import BulwarkConnectors
import BulwarkCore
import Foundation
import Testing

/// The Tenable export benchmark's measuring side (Scripts/bench-tenable-export.sh runs it in
/// release against Scripts/mock_tenable_io.py): discover, then one record's findings through the
/// whole export — start, poll, every chunk downloaded and mapped — timed, with the process's peak
/// RSS. Runs only when `BULWARK_BENCH_TENABLE_URL` is set; it prints figures and asserts the count,
/// never a time.
@Suite("Tenable export benchmark", .enabled(if: ProcessInfo.processInfo.environment["BULWARK_BENCH_TENABLE_URL"] != nil))
struct TenableExportBenchmark {
    @Test("the whole export is read and routed")
    func export() async throws {
        // Given
        let environment = ProcessInfo.processInfo.environment
        let expected = Int(environment["BULWARK_BENCH_TENABLE_FINDINGS"] ?? "") ?? 50_000
        let configuration = ConnectorConfiguration(tool: "tenable_io", label: "bench", location: environment["BULWARK_BENCH_TENABLE_URL"] ?? "",
                                                   secret: "bench-secret", extra: ["access_key": "bench-access", "poll_seconds": "0.2"])
        let connector = try ConnectorRegistry.make(configuration, transport: AsyncHTTPClientTransport.shared).connector
        // When
        let clock = ContinuousClock()
        let start = clock.now
        let record = try #require(try await connector.discover().first)
        let findings = try await connector.findings(for: record)
        let elapsed = clock.now - start
        // Then
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("tenable export: \(findings.count) findings in \(String(format: "%.2f", seconds)) s, peak RSS \(Self.peakRSS()) (expected \(expected))")
        #expect(findings.count == expected)
    }

    /// `VmHWM` of this process, e.g. `"212 MB"`.
    static func peakRSS() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return "unknown" }
        return "\(kilobytes / 1024) MB"
    }
}
