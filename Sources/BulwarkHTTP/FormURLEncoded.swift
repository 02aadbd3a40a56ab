import Foundation

/// `application/x-www-form-urlencoded` text (query strings and form bodies) as flat pairs.
///
/// Keys are never interpreted as nested structures (`a[b][c]`), unlike Vapor's URL-encoded form
/// decoder, so a hostile key cannot drive recursion.
public enum FormURLEncoded {
    /// Splits `a=1&b=x+y` into decoded pairs, in order, repeated keys kept.
    public static func pairs(_ text: some StringProtocol) -> [(String, String)] {
        text.split(separator: "&").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = parts.first else { return nil }
            return (decode(rawKey), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The last value of `name` (Django's `QueryDict.get`), nil when absent.
    public static func value(_ name: String, in pairs: [(String, String)]) -> String? {
        pairs.last { $0.0 == name }?.1
    }

    private static func decode(_ text: Substring) -> String {
        // Most names and values need no decoding: skip Foundation's work for them.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}
