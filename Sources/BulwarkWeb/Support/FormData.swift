import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string, in order, with
/// repeated names kept (bulk forms send `finding=1&finding=2`).
struct FormData: Sendable, Equatable {
    var pairs: [(String, String)]

    init(pairs: [(String, String)] = []) { self.pairs = pairs }

    /// Parses `a=1&b=x+y`; malformed percent escapes are kept as written.
    init(urlEncoded text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ raw: Substring) -> String {
                let spaced = raw.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(pieces[0]), pieces.count > 1 ? decode(pieces[1]) : "")
        }
    }

    static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.pairs.map { $0.0 } == rhs.pairs.map { $0.0 } && lhs.pairs.map { $0.1 } == rhs.pairs.map { $0.1 }
    }

    /// The last value of `name`, trimmed; nil when absent.
    subscript(_ name: String) -> String? {
        pairs.last { $0.0 == name }.map { $0.1.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Every non-empty value of `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.0 == name }.map { $0.1.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The value of `name` as an integer, nil when absent or not a number.
    func int(_ name: String) -> Int? { self[name].flatMap { Int($0) } }

    /// Every integer value of `name` (non-numbers dropped).
    func ints(_ name: String) -> [Int] { values(name).compactMap { Int($0) } }

    /// A checkbox: present with any value but "false"/"off"/"0".
    func checkbox(_ name: String) -> Bool {
        guard let value = self[name] else { return false }
        return !["false", "off", "0"].contains(value.lowercased())
    }

    /// The pairs as a query string (`a=1&b=x%20y`), empty values dropped.
    var queryString: String {
        pairs.filter { !$0.1.isEmpty }.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes a query component.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
