/// DefectDojo's exact, case-sensitive scan type string, e.g. `"ZAP Scan"` or `"SARIF"`.
///
/// Scan types select the parser on import and name the test type. They are compared exactly:
/// `"zap scan"` is not `"ZAP Scan"` (scan-types.md).
public struct ScanType: RawRepresentable, Sendable, Hashable, Codable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The DefectDojo string.
    public let rawValue: String

    /// Wraps a scan type string as given.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Wraps a scan type string as given.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        rawValue = value
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Orders alphabetically by code point, for stable listings.
    public static func < (lhs: ScanType, rhs: ScanType) -> Bool {
        lhs.rawValue.unicodeScalars.lexicographicallyPrecedes(rhs.rawValue.unicodeScalars)
    }

    /// The DefectDojo string.
    public var description: String { rawValue }
}
