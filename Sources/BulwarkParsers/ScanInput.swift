import Foundation

/// A report to parse: bytes in memory or a file on disk, plus the name it was uploaded under.
///
/// Parsers read JSON and CSV through ``readData()`` (files are memory-mapped, not copied) and
/// stream XML through ``makeInputStream()`` so large reports never pass through
/// `XMLParser(data:)`, which fails on documents of 10 MB or more on Linux.
public struct ScanInput: Sendable {
    /// Where the bytes are.
    public enum Source: Sendable {
        /// Bytes already in memory.
        case data(Data)
        /// A file on disk.
        case file(URL)
    }

    /// Where the bytes are.
    public let source: Source
    /// The original file name, used only as a hint (e.g. `.csv` vs `.json` for Generic).
    public let filename: String?

    /// Wraps bytes in memory.
    public init(data: Data, filename: String? = nil) {
        source = .data(data)
        self.filename = filename
    }

    /// Wraps a file on disk; the file name defaults to the URL's last path component.
    public init(fileURL: URL, filename: String? = nil) {
        source = .file(fileURL)
        self.filename = filename ?? fileURL.lastPathComponent
    }

    /// The lower-cased extension of ``filename`` without the dot, e.g. `json`.
    public var fileExtension: String? {
        guard let filename, let dot = filename.lastIndex(of: "."), dot != filename.startIndex else { return nil }
        let ext = filename[filename.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }

    /// All bytes. Files are memory-mapped when possible.
    /// - Throws: ``ParseError/Code/unreadableInput`` when the file cannot be read.
    public func readData() throws(ParseError) -> Data {
        switch source {
        case .data(let data):
            return data
        case .file(let url):
            do {
                return try Data(contentsOf: url, options: .mappedIfSafe)
            } catch {
                throw ParseError(.unreadableInput, "The report file could not be read.", cause: error)
            }
        }
    }

    /// A fresh stream over the bytes, for streaming (SAX) parsers.
    /// - Throws: ``ParseError/Code/unreadableInput`` when the file cannot be opened.
    public func makeInputStream() throws(ParseError) -> InputStream {
        switch source {
        case .data(let data):
            return InputStream(data: data)
        case .file(let url):
            guard let stream = InputStream(url: url) else {
                throw ParseError(.unreadableInput, "The report file could not be opened.")
            }
            return stream
        }
    }

    /// Up to `count` leading bytes, for sniffing the format without reading everything.
    public func prefix(_ count: Int) throws(ParseError) -> Data {
        switch source {
        case .data(let data):
            return data.prefix(count)
        case .file(let url):
            do {
                let handle = try FileHandle(forReadingFrom: url)
                defer { try? handle.close() }
                return try handle.read(upToCount: count) ?? Data()
            } catch {
                throw ParseError(.unreadableInput, "The report file could not be read.", cause: error)
            }
        }
    }

    /// `true` when the report has no bytes, or only whitespace.
    public func isBlank() throws(ParseError) -> Bool {
        let head = try prefix(4096)
        if head.isEmpty { return true }
        guard head.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return false }
        let all = try readData()
        return all.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
}
