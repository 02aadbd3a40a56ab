import Foundation
import ZIPFoundation

/// One file or folder listed by a zip archive.
public struct ArchiveEntry: Sendable, Hashable {
    /// The path inside the archive exactly as stored (never used to name a file on disk).
    public let path: String
    /// The uncompressed size the archive declares.
    public let uncompressedSize: UInt64
    /// The compressed size the archive declares.
    public let compressedSize: UInt64
    /// Whether the entry is a folder.
    public let isDirectory: Bool
    /// The position in the archive's central directory.
    let index: Int

    /// The last path component (`a/b/security.csv` → `security.csv`), like splitting on `/`.
    public var fileName: String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// `false` for names that would escape a folder they were extracted into: absolute paths,
    /// drive letters or `..` components (a "zip slip" name).
    public var hasSafePath: Bool {
        if path.hasPrefix("/") || path.hasPrefix("\\") { return false }
        let scalars = Array(path.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { return false }
        return !path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }
}

/// Reads zip reports (Blackduck exports, Fortify `.fpr`, SonarQube API zips) through
/// ZIPFoundation without trusting them.
///
/// Opening the archive lists its entries and checks them against ``ArchiveLimits``: too many
/// entries, a declared size or compression ratio beyond the limits, and the archive is refused
/// with ``ParseError/Code/limitExceeded`` before anything is inflated. Reading an entry counts the
/// bytes actually inflated and stops at the same limits, so a header that lies about sizes
/// cannot fill memory or disk either. Deflated entries are inflated from exactly their compressed
/// bytes (``ZipEntryLocator``) and their CRC-32 is checked, so a damaged stream that never ends
/// is an error rather than an endless read. Entry names are only ever compared, never used as
/// paths on disk, so a `../../x` name cannot write outside a temporary folder.
public final class ArchiveReader {
    /// The entries in central-directory order.
    public let entries: [ArchiveEntry]
    /// The limits in force.
    public let limits: ArchiveLimits

    private let archive: Archive
    private let zipEntries: [Entry]
    /// Bounds each compressed entry's input (see ``ZipEntryLocator``).
    private let locator: ZipEntryLocator
    /// Uncompressed bytes inflated so far by all reads.
    private var inflatedTotal: UInt64 = 0

    /// Whether the input starts like a zip archive (a local file header or an empty archive's
    /// end record), without reading it all.
    public static func isZip(_ input: ScanInput) throws(ParseError) -> Bool {
        let head = [UInt8](try input.prefix(4))
        return head == [0x50, 0x4B, 0x03, 0x04] || head == [0x50, 0x4B, 0x05, 0x06]
    }

    /// Opens and lists an archive.
    /// - Throws: ``ParseError`` `malformedInput` when the input is not a readable zip archive,
    ///   `limitExceeded` when it breaks a limit.
    public init(_ input: ScanInput, limits: ArchiveLimits = .standard) throws(ParseError) {
        self.limits = limits
        do {
            switch input.source {
            case .data(let data):
                // ZIPFoundation's in-memory archives trap when a damaged header points past the
                // end of the data; a file reads short instead. The file is unlinked at once (the
                // open handle keeps it readable until the archive is released).
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-zip-\(UUID().uuidString)")
                try data.write(to: url)
                defer { try? FileManager.default.removeItem(at: url) }
                archive = try Archive(url: url, accessMode: .read)
                locator = try ZipEntryLocator(url: url)
            case .file(let url):
                archive = try Archive(url: url, accessMode: .read)
                locator = try ZipEntryLocator(url: url)
            }
        } catch {
            throw ParseError(.malformedInput, "The report is not a readable zip archive.", cause: error)
        }
        var listed: [ArchiveEntry] = []
        var zipEntries: [Entry] = []
        var declaredTotal: UInt64 = 0
        for entry in archive {
            guard listed.count < limits.maxEntries else {
                throw ParseError(
                    .limitExceeded, "The zip archive has more than \(limits.maxEntries) entries.")
            }
            let item = ArchiveEntry(
                path: entry.path, uncompressedSize: entry.uncompressedSize, compressedSize: entry.compressedSize,
                isDirectory: entry.type == .directory, index: listed.count)
            try Self.checkDeclared(item, limits: limits)
            let (sum, overflow) = declaredTotal.addingReportingOverflow(item.uncompressedSize)
            guard !overflow, sum <= limits.maxTotalSize else {
                throw ParseError(
                    .limitExceeded,
                    "The zip archive's entries hold more than \(limits.maxTotalSize) bytes uncompressed.")
            }
            declaredTotal = sum
            listed.append(item)
            zipEntries.append(entry)
        }
        entries = listed
        self.zipEntries = zipEntries
    }

    /// The first entry with exactly this path.
    public func entry(named path: String) -> ArchiveEntry? {
        entries.first { $0.path == path }
    }

    /// Hands the entry's uncompressed bytes over in chunks, stopping (with `limitExceeded`) as soon
    /// as it inflates past a limit. Folders produce no chunk.
    /// - Throws: ``ParseError`` `malformedInput` for a damaged entry (bad data or checksum),
    ///   `unsupportedFormat` for a symbolic link, whatever `body` throws.
    public func stream(_ entry: ArchiveEntry, _ body: (Data) throws(ParseError) -> Void) throws(ParseError) {
        guard entry.index < zipEntries.count, entries[entry.index] == entry else {
            throw ParseError(.invalidValue, "The entry is not part of this archive.", position: .archiveEntry(entry.path))
        }
        let zipEntry = zipEntries[entry.index]
        switch zipEntry.type {
        case .directory: return
        case .symlink:
            throw ParseError(.unsupportedFormat, "The zip entry is a symbolic link.", position: .archiveEntry(entry.path))
        case .file: break
        }
        var inflated: UInt64 = 0
        func consume(_ chunk: Data) throws {
            inflated += UInt64(chunk.count)
            inflatedTotal += UInt64(chunk.count)
            try checkInflated(entry, inflated: inflated)
            try body(chunk)
        }
        do {
            if zipEntry.isCompressed {
                try inflate(zipEntry, at: entry.index, consumer: consume)
            } else {
                _ = try archive.extract(zipEntry, bufferSize: 64 * 1024, consumer: consume)
            }
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(
                .malformedInput, "The zip entry could not be read (damaged or truncated archive).",
                position: .archiveEntry(entry.path), cause: error)
        }
    }

    /// Inflates a deflated entry from exactly its compressed bytes: a stream that has not ended
    /// when they run out is damaged (ZIPFoundation's own reader would spin at end of file).
    private func inflate(_ zipEntry: Entry, at index: Int, consumer: (Data) throws -> Void) throws {
        let (range, method) = try locator.compressedData(ofEntryAt: index, compressedSize: zipEntry.compressedSize)
        guard method == 8 else { throw ZipEntryLocator.Damaged(description: "compression method \(method) is not deflate") }
        let checksum = try Data.decompress(
            size: Int64(clamping: range.count), bufferSize: 64 * 1024, skipCRC32: false,
            provider: { position, size in
                let start = range.lowerBound + UInt64(clamping: position)
                guard start < range.upperBound else {
                    throw ZipEntryLocator.Damaged(description: "the deflate stream does not end within the entry's data")
                }
                return try self.locator.read(at: start, count: Int(min(UInt64(size), range.upperBound - start)))
            },
            consumer: consumer)
        guard checksum == zipEntry.checksum else { throw ZipEntryLocator.Damaged(description: "CRC-32 mismatch") }
    }

    /// The entry's uncompressed bytes in memory (within ``ArchiveLimits/maxEntrySize``).
    public func readData(_ entry: ArchiveEntry) throws(ParseError) -> Data {
        var data = Data()
        if entry.uncompressedSize <= 64 * 1024 * 1024 { data.reserveCapacity(Int(entry.uncompressedSize)) }
        try stream(entry) { chunk in data.append(chunk) }
        return data
    }

    /// The entry as a ``ScanInput`` backed by a temporary file (so an XML entry can be streamed
    /// with bounded memory), passed to `body` and deleted afterwards. The temporary file gets a
    /// generated name; the entry's own path is never used on disk.
    public func withTemporaryFile<Result>(
        _ entry: ArchiveEntry, _ body: (ScanInput) throws(ParseError) -> Result
    ) throws(ParseError) -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-archive-\(UUID().uuidString)")
        let url = folder.appendingPathComponent("entry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let handle: FileHandle
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            handle = try FileHandle(forWritingTo: url)
        } catch {
            throw ParseError(.unreadableInput, "A temporary file for the zip entry could not be created.", cause: error)
        }
        do {
            defer { try? handle.close() }
            try stream(entry) { (chunk) throws(ParseError) in
                do {
                    try handle.write(contentsOf: chunk)
                } catch {
                    throw ParseError(.unreadableInput, "The zip entry could not be written to a temporary file.", cause: error)
                }
            }
        }
        let fileName = entry.fileName.isEmpty ? nil : entry.fileName
        return try body(ScanInput(fileURL: url, filename: fileName))
    }

    private static func checkDeclared(_ entry: ArchiveEntry, limits: ArchiveLimits) throws(ParseError) {
        if entry.uncompressedSize > limits.maxEntrySize {
            throw ParseError(
                .limitExceeded,
                "The zip entry holds \(entry.uncompressedSize) bytes uncompressed, more than the limit of \(limits.maxEntrySize).",
                position: .archiveEntry(entry.path))
        }
        if limits.exceedsRatio(uncompressed: entry.uncompressedSize, compressed: entry.compressedSize) {
            throw ratioError(entry, uncompressed: entry.uncompressedSize, limits: limits)
        }
    }

    private func checkInflated(_ entry: ArchiveEntry, inflated: UInt64) throws(ParseError) {
        if inflated > limits.maxEntrySize {
            throw ParseError(
                .limitExceeded, "The zip entry inflates to more than \(limits.maxEntrySize) bytes.",
                position: .archiveEntry(entry.path))
        }
        if inflatedTotal > limits.maxTotalSize {
            throw ParseError(
                .limitExceeded, "The zip archive inflates to more than \(limits.maxTotalSize) bytes.",
                position: .archiveEntry(entry.path))
        }
        if limits.exceedsRatio(uncompressed: inflated, compressed: entry.compressedSize) {
            throw Self.ratioError(entry, uncompressed: inflated, limits: limits)
        }
    }

    private static func ratioError(_ entry: ArchiveEntry, uncompressed: UInt64, limits: ArchiveLimits) -> ParseError {
        let ratio = entry.compressedSize == 0 ? "unbounded" : "\(uncompressed / entry.compressedSize):1"
        return ParseError(
            .limitExceeded,
            "The zip entry has a compression ratio of \(ratio), more than the limit of \(limits.maxCompressionRatio):1 (a zip bomb?).",
            position: .archiveEntry(entry.path))
    }
}
