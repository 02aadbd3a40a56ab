import BulwarkParsers
import Foundation
import Testing

/// Deflated zip entries are inflated from exactly their compressed bytes.
@Suite("Zip entry bounds")
struct ZipEntryLocatorTests {
    @Test("a deflate stream that runs past the entry's data is an error, not an endless read")
    func runawayStream() throws {
        // Given a zip whose deflated entry starts with a stored block claiming 65535 bytes, more
        // than the rest of the file holds (ZIPFoundation's Linux reader spun at end of file)
        var data = try ArchiveReaderTests.zip([("report.xml", Data(String(repeating: "<a/>", count: 500).utf8), true)])
        let nameLength = Int(data[26]) | Int(data[27]) << 8
        let extraLength = Int(data[28]) | Int(data[29]) << 8
        let start = 30 + nameLength + extraLength
        data.replaceSubrange(start..<start + 5, with: [0x00, 0xFF, 0xFF, 0x00, 0x00])
        let reader = try ArchiveReader(ScanInput(data: data, filename: "report.fpr"))
        let entry = try #require(reader.entry(named: "report.xml"))

        // When the entry is read, Then it fails as a damaged entry
        do {
            _ = try reader.readData(entry)
            Issue.record("expected a ParseError")
        } catch {
            #expect(error.code == .malformedInput)
            #expect(error.position == .archiveEntry("report.xml"))
        }
    }

    @Test("a deflated entry whose bytes do not match its CRC-32 is an error")
    func checksum() throws {
        // Given a zip whose central directory records a wrong CRC-32 for a deflated entry
        var data = try ArchiveReaderTests.zip([("a.txt", Data(String(repeating: "checksummed ", count: 40).utf8), true)])
        let bytes = [UInt8](data)
        let directory = try #require((0..<bytes.count - 4).last { bytes[$0..<$0 + 4] == [0x50, 0x4B, 0x01, 0x02] })
        data[directory + 16] ^= 0xFF
        let reader = try ArchiveReader(ScanInput(data: data))
        let entry = try #require(reader.entry(named: "a.txt"))

        // When it is read, Then
        do {
            _ = try reader.readData(entry)
            Issue.record("expected a ParseError")
        } catch {
            #expect(error.code == .malformedInput)
        }
    }
}
