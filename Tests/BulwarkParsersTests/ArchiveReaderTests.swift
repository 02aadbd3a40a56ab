import BulwarkParsers
import Foundation
import Testing
import ZIPFoundation

/// Zip input: listing, reading, and the limits that stop zip bombs and huge archives.
@Suite("Archive reader")
struct ArchiveReaderTests {
    /// Builds a zip in memory: `(path, bytes, deflate?)` per entry.
    static func zip(_ files: [(String, Data, Bool)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, bytes, deflate) in files {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count),
                compressionMethod: deflate ? .deflate : .none
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    private func limitError(_ body: () throws -> Void) -> ParseError? {
        do {
            try body()
            Issue.record("expected a ParseError")
            return nil
        } catch let error as ParseError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("lists entries in order and reads each entry's bytes")
    func listsAndReads() throws {
        // Given a zip with a deflated CSV in a folder and a stored text file
        let csv = Data(String(repeating: "a,b,c\n1,2,3\n", count: 20).utf8)
        let data = try Self.zip([("export/security.csv", csv, true), ("VERSION", Data("1.0".utf8), false)])

        // When it is opened and read
        let reader = try ArchiveReader(ScanInput(data: data, filename: "report.zip"))

        // Then the entries, their names and their bytes are the written ones
        #expect(reader.entries.map(\.path) == ["export/security.csv", "VERSION"])
        #expect(reader.entries.first?.fileName == "security.csv")
        #expect(reader.entries.first?.uncompressedSize == UInt64(csv.count))
        let entry = try #require(reader.entry(named: "export/security.csv"))
        #expect(try reader.readData(entry) == csv)
        var chunks = Data()
        try reader.stream(try #require(reader.entry(named: "VERSION"))) { chunks.append($0) }
        #expect(chunks == Data("1.0".utf8))
        #expect(try ArchiveReader.isZip(ScanInput(data: data)))
    }

    @Test("an entry is available as a temporary file that is removed afterwards")
    func temporaryFile() throws {
        // Given a zip holding an XML file
        let xml = Data("<root><a/></root>".utf8)
        let reader = try ArchiveReader(ScanInput(data: try Self.zip([("audit.fvdl", xml, true)])))
        let entry = try #require(reader.entry(named: "audit.fvdl"))

        // When it is extracted for streaming
        var seen: URL?
        let bytes = try reader.withTemporaryFile(entry) { (input) throws(ParseError) in
            if case .file(let url) = input.source { seen = url }
            return try input.readData()
        }

        // Then the body saw the bytes, and the file is gone
        #expect(bytes == xml)
        let url = try #require(seen)
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("a path-traversal entry name is flagged and never used as a path on disk")
    func pathTraversal() throws {
        // Given a zip whose entry climbs out of any folder it is extracted into
        let name = "../../bulwark-zip-slip-\(UUID().uuidString).txt"
        let reader = try ArchiveReader(ScanInput(data: try Self.zip([(name, Data("owned".utf8), false), ("ok/file.txt", Data(), false)])))
        let entry = try #require(reader.entry(named: name))

        // When it is extracted
        var extractedTo: URL?
        try reader.withTemporaryFile(entry) { (input) throws(ParseError) in
            if case .file(let url) = input.source { extractedTo = url }
        }

        // Then the name is reported unsafe, and nothing was written where it points
        #expect(!entry.hasSafePath)
        #expect(reader.entry(named: "ok/file.txt")?.hasSafePath == true)
        let target = FileManager.default.temporaryDirectory.appendingPathComponent(name).standardizedFileURL
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(extractedTo?.lastPathComponent == "entry")
    }

    @Test("a highly compressed entry (zip bomb) is refused when the archive is opened")
    func bomb() throws {
        // Given 8 MiB of zeros deflated to a few kilobytes
        let data = try Self.zip([("bomb.csv", Data(count: 8 * 1024 * 1024), true)])

        // When it is opened
        let error = limitError { _ = try ArchiveReader(ScanInput(data: data)) }

        // Then the ratio limit stops it, naming the entry
        #expect(error?.code == .limitExceeded)
        #expect(error?.position == .archiveEntry("bomb.csv"))
        #expect(error?.message.contains("compression ratio") == true)
    }

    @Test("an entry whose header understates its size is stopped while inflating")
    func lyingHeader() throws {
        // Given a bomb whose local and central headers claim 1,000 bytes uncompressed
        var data = try Self.zip([("bomb.csv", Data(count: 8 * 1024 * 1024), true)])
        Self.patchUncompressedSizes(in: &data, to: 1000)
        let reader = try ArchiveReader(ScanInput(data: data))
        let entry = try #require(reader.entries.first)
        #expect(entry.uncompressedSize == 1000)

        // When it is read
        var received = 0
        let error = limitError { try reader.stream(entry) { received += $0.count } }

        // Then reading stops at the ratio limit, long before 8 MiB
        #expect(error?.code == .limitExceeded)
        #expect(received < 2 * 1024 * 1024)
    }

    @Test("more entries than the limit are refused without listing them all")
    func tooManyEntries() throws {
        // Given 1,001 tiny entries (DefectDojo's default limit is 1,000)
        let files = (0...1000).map { ("f\($0).csv", Data("x".utf8), false) }
        let data = try Self.zip(files)

        // When it is opened
        let error = limitError { _ = try ArchiveReader(ScanInput(data: data)) }

        // Then it is refused
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("more than 1000 entries") == true)
    }

    @Test("per-entry and total size limits apply to declared sizes")
    func sizeLimits() throws {
        // Given two 600-byte entries
        let data = try Self.zip([("a.csv", Data(count: 600), false), ("b.csv", Data(count: 600), false)])

        // When opened with a 500-byte entry limit, then with a 1,000-byte total limit
        let perEntry = limitError { _ = try ArchiveReader(ScanInput(data: data), limits: ArchiveLimits(maxEntrySize: 500)) }
        let total = limitError { _ = try ArchiveReader(ScanInput(data: data), limits: ArchiveLimits(maxTotalSize: 1000)) }

        // Then both are refused, the first naming the entry
        #expect(perEntry?.code == .limitExceeded)
        #expect(perEntry?.position == .archiveEntry("a.csv"))
        #expect(total?.code == .limitExceeded)
    }

    @Test("bytes that are not a zip archive are malformed input")
    func notZip() throws {
        // Given CSV text
        let input = ScanInput(data: Data("a,b\n1,2\n".utf8))

        // When sniffed and opened
        let sniffed = try ArchiveReader.isZip(input)
        let error = limitError { _ = try ArchiveReader(input) }

        // Then it is not taken for a zip
        #expect(!sniffed)
        #expect(error?.code == .malformedInput)
    }

    /// Rewrites the uncompressed size in every local and central header.
    static func patchUncompressedSizes(in data: inout Data, to size: UInt32) {
        let bytes = [UInt8](data)
        let little = withUnsafeBytes(of: size.littleEndian) { Array($0) }
        var index = 0
        while index + 4 <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B {
                if bytes[index + 2] == 0x03, bytes[index + 3] == 0x04 {
                    data.replaceSubrange(index + 22..<index + 26, with: little)
                } else if bytes[index + 2] == 0x01, bytes[index + 3] == 0x02 {
                    data.replaceSubrange(index + 24..<index + 28, with: little)
                }
            }
            index += 1
        }
    }
}
