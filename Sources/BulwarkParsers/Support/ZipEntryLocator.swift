import Foundation

/// Finds where each entry's compressed bytes lie in a zip file, from the file's own end record,
/// central directory and local headers (ZIP64 included), so ``ArchiveReader`` can inflate exactly
/// those bytes.
///
/// ZIPFoundation's Linux inflater ignores the entry's compressed size and reads on to the end of
/// the file; a damaged deflate stream that never ends then makes it loop forever at end of file.
/// Reading through a provider bounded by this locator turns that into an error.
final class ZipEntryLocator {
    /// Why the zip structures could not be read.
    struct Damaged: Error, CustomStringConvertible {
        let description: String
    }

    private let handle: FileHandle
    private let fileSize: UInt64
    /// Local header offsets in central-directory order, read on first use.
    private var localHeaderOffsets: [UInt64]?

    private static let endRecordSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndRecordSignature: UInt32 = 0x0606_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    /// Opens the file (it may be unlinked afterwards: the handle keeps it readable).
    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
        fileSize = try handle.seekToEnd()
    }

    deinit {
        try? handle.close()
    }

    /// The range of the compressed bytes of the entry at `index` (central-directory order) and
    /// its compression method.
    func compressedData(ofEntryAt index: Int, compressedSize: UInt64) throws -> (range: Range<UInt64>, method: UInt16) {
        let offsets = try headerOffsets()
        guard index < offsets.count else { throw Damaged(description: "entry \(index) is not in the central directory") }
        let header = try read(at: offsets[index], count: 30)
        guard Self.uint32(header, 0) == Self.localHeaderSignature else {
            throw Damaged(description: "no local file header at offset \(offsets[index])")
        }
        let start = offsets[index] + 30 + UInt64(Self.uint16(header, 26)) + UInt64(Self.uint16(header, 28))
        let (end, overflow) = start.addingReportingOverflow(compressedSize)
        guard !overflow, end <= fileSize else { throw Damaged(description: "the entry's data runs past the end of the file") }
        return (start..<end, Self.uint16(header, 8))
    }

    /// Up to `count` bytes at `offset`, fewer at the end of the file.
    func read(at offset: UInt64, count: Int) throws -> Data {
        try handle.seek(toOffset: offset)
        return try handle.read(upToCount: count) ?? Data()
    }

    private func headerOffsets() throws -> [UInt64] {
        if let localHeaderOffsets { return localHeaderOffsets }
        let (directoryOffset, directorySize, count) = try centralDirectory()
        let directory = try read(at: directoryOffset, count: Int(directorySize))
        var offsets: [UInt64] = []
        var position = 0
        while offsets.count < count, position + 46 <= directory.count,
              Self.uint32(directory, position) == Self.centralHeaderSignature {
            let nameLength = Int(Self.uint16(directory, position + 28))
            let extraLength = Int(Self.uint16(directory, position + 30))
            let commentLength = Int(Self.uint16(directory, position + 32))
            var offset = UInt64(Self.uint32(directory, position + 42))
            let extraStart = position + 46 + nameLength
            guard extraStart + extraLength <= directory.count else { break }
            if offset == 0xFFFF_FFFF {
                let skipped = (Self.uint32(directory, position + 24) == 0xFFFF_FFFF ? 1 : 0)
                    + (Self.uint32(directory, position + 20) == 0xFFFF_FFFF ? 1 : 0)
                offset = Self.zip64Value(in: directory, extra: extraStart..<extraStart + extraLength, index: skipped) ?? offset
            }
            offsets.append(offset)
            position = extraStart + extraLength + commentLength
        }
        localHeaderOffsets = offsets
        return offsets
    }

    /// Offset, size and entry count of the central directory, from the end record (or its ZIP64
    /// version when the end record's fields are saturated).
    private func centralDirectory() throws -> (offset: UInt64, size: UInt64, count: Int) {
        let tailLength = UInt64(min(fileSize, 22 + 65_535))
        let tail = try read(at: fileSize - tailLength, count: Int(tailLength))
        guard tail.count >= 22,
              let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: { Self.uint32(tail, $0) == Self.endRecordSignature })
        else { throw Damaged(description: "no end of central directory record") }
        var count = UInt64(Self.uint16(tail, end + 10))
        var size = UInt64(Self.uint32(tail, end + 12))
        var offset = UInt64(Self.uint32(tail, end + 16))
        if (count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF), end >= 20,
           Self.uint32(tail, end - 20) == Self.zip64LocatorSignature {
            let record = try read(at: Self.uint64(tail, end - 12), count: 56)
            if record.count == 56, Self.uint32(record, 0) == Self.zip64EndRecordSignature {
                count = Self.uint64(record, 32)
                size = Self.uint64(record, 40)
                offset = Self.uint64(record, 48)
            }
        }
        let (directoryEnd, overflow) = offset.addingReportingOverflow(size)
        guard !overflow, directoryEnd <= fileSize else { throw Damaged(description: "the central directory lies outside the file") }
        return (offset, size, Int(clamping: count))
    }

    /// The `index`-th 8-byte value of the ZIP64 extra field (id 1) in `extra`, if present.
    private static func zip64Value(in data: Data, extra: Range<Int>, index: Int) -> UInt64? {
        var position = extra.lowerBound
        while position + 4 <= extra.upperBound {
            let id = uint16(data, position)
            let length = Int(uint16(data, position + 2))
            let valueStart = position + 4 + index * 8
            if id == 1, valueStart + 8 <= min(position + 4 + length, extra.upperBound) {
                return uint64(data, valueStart)
            }
            position += 4 + length
        }
        return nil
    }

    private static func uint16(_ data: Data, _ offset: Int) -> UInt16 {
        value(data, offset, bytes: 2).map { UInt16(truncatingIfNeeded: $0) } ?? 0
    }

    private static func uint32(_ data: Data, _ offset: Int) -> UInt32 {
        value(data, offset, bytes: 4).map { UInt32(truncatingIfNeeded: $0) } ?? 0
    }

    private static func uint64(_ data: Data, _ offset: Int) -> UInt64 {
        value(data, offset, bytes: 8) ?? 0
    }

    /// A little-endian integer of `bytes` bytes at `offset` from the start of `data`.
    private static func value(_ data: Data, _ offset: Int, bytes: Int) -> UInt64? {
        guard offset >= 0, offset + bytes <= data.count else { return nil }
        var result: UInt64 = 0
        for index in 0..<bytes {
            result |= UInt64(data[data.startIndex + offset + index]) << (8 * index)
        }
        return result
    }
}
