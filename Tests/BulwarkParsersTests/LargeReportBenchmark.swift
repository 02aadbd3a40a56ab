import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Parses synthetic 50 MB XML reports and prints time and peak memory — a benchmark, not a
/// test: it runs only with `BULWARK_PARSER_BENCH=1` (see `Scripts/bench-parsers.sh`, which
/// builds in release) and asserts nothing about speed.
@Suite("Large XML reports (benchmark)", .enabled(if: ProcessInfo.processInfo.environment["BULWARK_PARSER_BENCH"] == "1"))
struct LargeReportBenchmark {
    static let targetBytes = 50 << 20

    @Test("50 MB reports stream in bounded memory", arguments: ["Dependency Check Scan", "Checkmarx Scan", "Checkmarx Scan detailed"])
    func largeReport(_ scanType: String) throws {
        // Given a 50 MB report on disk, written in chunks so the test itself stays small
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-bench-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = try scanType == "Dependency Check Scan" ? Self.writeDependencyCheck(to: url) : Self.writeCheckmarx(to: url)
        let residentBefore = Self.memoryFigure("VmRSS")

        // When it is parsed from the file
        let start = Date()
        let result = try ParserRegistry.parse(ScanInput(fileURL: url), as: ScanType(scanType))
        let seconds = Date().timeIntervalSince(start)

        // Then the figures are printed
        print(String(
            format: "BENCH %@: %.1f MB, %d findings, %.2f s, %.1f MB/s, RSS before %d MB, peak RSS %d MB",
            scanType, Double(bytes) / 1_048_576, result.findings.count, seconds, Double(bytes) / 1_048_576 / seconds,
            residentBefore / 1024, Self.memoryFigure("VmHWM") / 1024))
        #expect(!result.findings.isEmpty)
    }

    /// A figure in kB from /proc/self/status (0 where there is none).
    static func memoryFigure(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    private static func write(to url: URL, head: String, tail: String, chunk: (Int) -> String) throws -> Int {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        func append(_ text: String) throws {
            let data = Data(text.utf8)
            try handle.write(contentsOf: data)
            written += data.count
        }
        try append(head)
        var index = 0
        while written < targetBytes {
            try append(chunk(index))
            index += 1
        }
        try append(tail)
        return written
    }

    static func writeDependencyCheck(to url: URL) throws -> Int {
        let head = """
            <?xml version="1.0" encoding="UTF-8"?>
            <analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.4.0.xsd">
            <projectInfo><name>bench</name><reportDate>2024-05-01T10:00:00Z</reportDate></projectInfo>
            <dependencies>

            """
        return try write(to: url, head: head, tail: "</dependencies></analysis>\n") { index in
            var text = """
                <dependency isVirtual="false"><fileName>lib-\(index).jar</fileName><filePath>/srv/lib/lib-\(index).jar</filePath>
                <evidenceCollected><evidence type="product" confidence="HIGH"><source>file</source><name>name</name><value>lib-\(index)</value></evidence></evidenceCollected>
                <identifiers><package confidence="HIGH"><id>pkg:maven/org.example/lib-\(index)@1.\(index % 50).0</id></package></identifiers>
                <vulnerabilities>

                """
            for vulnerability in 0..<4 {
                text += """
                    <vulnerability source="NVD"><name>CVE-2024-\(10_000 + vulnerability)</name><severity>HIGH</severity>
                    <cvssV3><attackVector>NETWORK</attackVector><attackComplexity>LOW</attackComplexity><privilegesRequired>NONE</privilegesRequired><userInteraction>NONE</userInteraction><scope>UNCHANGED</scope><confidentialityImpact>HIGH</confidentialityImpact><integrityImpact>NONE</integrityImpact><availabilityImpact>NONE</availabilityImpact></cvssV3>
                    <cwes><cwe>CWE-\(20 + vulnerability)</cwe></cwes>
                    <description>Synthetic vulnerability \(vulnerability) of library \(index), long enough to look like an NVD summary of a real issue.</description>
                    <references><reference><source>MISC</source><url>https://example.test/\(index)/\(vulnerability)</url><name>advisory \(index)-\(vulnerability)</name></reference></references>
                    </vulnerability>

                    """
            }
            return text + "</vulnerabilities></dependency>\n"
        }
    }

    static func writeCheckmarx(to url: URL) throws -> Int {
        let head = """
            <?xml version="1.0" encoding="utf-8"?>
            <CxXMLResults ScanId="1" ProjectName="bench" ScanStart="Monday, May 6, 2024 10:00:00 AM">

            """
        return try write(to: url, head: head, tail: "</CxXMLResults>\n") { index in
            var text = "<Query id=\"\(index)\" cweId=\"\(79 + index % 20)\" name=\"Query_\(index % 40)\" group=\"Java_High_Risk\" Severity=\"High\" Language=\"Java\" categories=\"OWASP Top 10 2021;A03-Injection\">\n"
            for result in 0..<20 {
                text += "<Result FileName=\"src/F\(result % 7).java\" Status=\"New\" Line=\"\(result)\" FalsePositive=\"False\" Severity=\"High\" state=\"0\" DeepLink=\"https://cx.example.test/x?pathid=\(result)\"><Path PathId=\"\(result)\" SimilarityId=\"\(index)\">\n"
                for node in 1...3 {
                    text += "<PathNode><FileName>src/F\(result % 7).java</FileName><Line>\(node * 10)</Line><Column>\(node)</Column><NodeId>\(node)</NodeId><Name>call\(node)</Name><Snippet><Line><Number>\(node * 10)</Number><Code>  value = call\(node)(input); // synthetic line of code  </Code></Line></Snippet></PathNode>\n"
                }
                text += "</Path></Result>\n"
            }
            return text + "</Query>\n"
        }
    }
}
