import BulwarkCore
import BulwarkParsers
import Foundation
import Testing

/// Feeds every registered parser damaged copies of its golden fixture reports: each parse must
/// return findings or throw a ``ParseError`` — never crash (which would stop the test process),
/// hang (which would time the suite out) or throw anything else.
///
/// Derived from the registry and the golden files, so a parser added later is covered as soon as
/// it has goldens. The mutations are reproducible: a fixed seed per scan type feeds a SplitMix64
/// generator, and a failure names the report and the mutation number.
@Suite("Mutated reports")
struct MutationTests {
    /// At least this many mutated copies per scan type, spread over its reports.
    static let copiesPerScanType = 1_000

    @Test("damaged reports give findings or a ParseError", arguments: ParserRegistry.descriptors.map(\.scanType.rawValue))
    func mutatedReports(_ scanType: String) throws {
        // Given the scan type's fixture reports
        let reports = Self.reports(of: scanType)
        try #require(!reports.isEmpty, "\(scanType) has no golden fixture reports to mutate")
        let copiesPerReport = (Self.copiesPerScanType + reports.count - 1) / reports.count
        var generator = SplitMix64(seed: Self.seed(for: scanType))
        var outcomes = (findings: 0, errors: 0)

        for report in reports {
            let original = try Data(contentsOf: report)
            for copy in 0..<copiesPerReport {
                // When a mutated copy is parsed
                let mutated = Mutator.mutate(Array(original), using: &generator)
                let input = ScanInput(data: Data(mutated), filename: report.lastPathComponent)
                do {
                    _ = try ParserRegistry.parse(input, as: ScanType(scanType))
                    outcomes.findings += 1
                } catch let error as ParseError {
                    // Then it is either parsed or refused with a ParseError
                    #expect(error.scanType?.rawValue == scanType, "\(report.lastPathComponent) copy \(copy): \(error)")
                    outcomes.errors += 1
                } catch {
                    Issue.record("\(scanType) \(report.lastPathComponent) copy \(copy): not a ParseError: \(error)")
                }
            }
        }
        #expect(outcomes.findings + outcomes.errors >= Self.copiesPerScanType)
    }

    /// The distinct reports the scan type's golden files name, in name order.
    static func reports(of scanType: String) -> [URL] {
        var seen: Set<String> = []
        return GoldenFile.all.filter { $0.content.scanType == scanType }.map(\.reportURL)
            .filter { seen.insert($0.path).inserted }
    }

    /// A seed that depends only on the scan type's name (FNV-1a), so runs are reproducible.
    static func seed(for scanType: String) -> UInt64 {
        scanType.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }
}

/// Sebastiano Vigna's SplitMix64: tiny, fast and deterministic for a given seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}

/// Damages a report the ways uploads and bugs do: flipped bits, cut-off files, repeated or lost
/// ranges, and stray quotes, brackets and angle brackets that break JSON, CSV and XML structure.
enum Mutator {
    /// Bytes that are structural in the formats we read.
    private static let structural: [[UInt8]] = [
        "\"", "'", "{", "}", "[", "]", "<", ">", "</", "/>", "<!--", "<![CDATA[", "&", "&#0;", ",", ":", "\\", "\n", "\r\n",
        "\u{0}", "\u{FF}", "null", "-1e999", "99999999999999999999", "<a>", "\u{FEFF}", "é",
    ].map { Array($0.utf8) }

    /// One to three random mutations of `bytes`.
    static func mutate(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            mutateOnce(&bytes, using: &generator)
        }
        return bytes
    }

    private static func mutateOnce(_ bytes: inout [UInt8], using generator: inout SplitMix64) {
        guard !bytes.isEmpty else {
            bytes = structural.randomElement(using: &generator) ?? []
            return
        }
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<7, using: &generator) {
        case 0:
            // Flip one bit.
            bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
        case 1:
            // Replace a byte with any value.
            bytes[position] = UInt8.random(in: 0...255, using: &generator)
        case 2:
            // Truncate.
            bytes.removeSubrange(position...)
        case 3:
            // Delete a range.
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &generator))
            bytes.removeSubrange(position..<end)
        case 4:
            // Duplicate a range in place.
            let end = min(bytes.count, position + Int.random(in: 1...256, using: &generator))
            bytes.insert(contentsOf: bytes[position..<end], at: end)
        case 5:
            // Move a range elsewhere.
            let end = min(bytes.count, position + Int.random(in: 1...128, using: &generator))
            let range = Array(bytes[position..<end])
            bytes.removeSubrange(position..<end)
            bytes.insert(contentsOf: range, at: Int.random(in: 0...bytes.count, using: &generator))
        default:
            // Insert a structural token.
            bytes.insert(contentsOf: structural.randomElement(using: &generator) ?? [], at: position)
        }
    }
}
