import BulwarkCore

/// How parsers that accept two formats choose one: DefectDojo looks at the upload's file name
/// extension; without a deciding name the first significant byte of the report decides.
enum ReportFormatChoice {
    /// Whether the file name ends with `.<ext>` (case-insensitive), for each given extension.
    /// - Returns: The first extension the name ends with, or `nil`.
    static func extensionMatch(of input: ScanInput, among extensions: [String]) -> String? {
        guard let name = input.filename?.lowercased() else { return nil }
        return extensions.first { name.hasSuffix("." + $0) }
    }

    /// The first byte that is neither whitespace nor part of a UTF-8 byte order mark, within the
    /// first 4 KiB; `nil` when there is none.
    static func firstSignificantByte(of input: ScanInput) throws(ParseError) -> UInt8? {
        let head = try input.prefix(4096)
        let bytes = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }
}
