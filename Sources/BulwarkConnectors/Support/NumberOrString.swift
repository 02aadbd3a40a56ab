import Foundation

/// A JSON value that arrives as a number or as a string, kept as text: ids beyond Int64 (Checkmarx
/// ONE's SAST `queryId`, e.g. `14517067005933136034`) keep every digit, and `cweId` may be `89` or
/// `"CWE-89"`.
public struct NumberOrString: Decodable, Sendable, Hashable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
        } else if let value = try? container.decode(Int64.self) {
            text = String(value)
        } else if let value = try? container.decode(UInt64.self) {
            text = String(value)
        } else if let value = try? container.decode(Decimal.self) {
            text = "\(value)"
        } else {
            let value = try container.decode(Double.self)
            text = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    public var description: String { text }

    /// The CWE number in `89`, `"89"`, `"CWE-89"`; `nil` for `""` or anything else.
    public var cweNumber: Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed), number > 0 { return number }
        return FindingText.firstCWE(in: trimmed)
    }
}
