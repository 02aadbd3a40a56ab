import Foundation

/// Small text helpers shared by the connectors' mappings.
public enum FindingText {
    /// The first CWE number in `text`: `CWE-89`, `CWE 89` or a `cwe.mitre.org/data/definitions/89` link.
    public static func firstCWE(in text: String?) -> Int? {
        guard let text else { return nil }
        let patterns = ["CWE-(\\d+)", "cwe.mitre.org/data/definitions/(\\d+)"]
        var best: (position: String.Index, value: Int)?
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                  let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let range = Range(match.range(at: 1), in: text), let value = Int(text[range]) else { continue }
            if let current = best, current.position <= range.lowerBound { continue }
            best = (range.lowerBound, value)
        }
        return best?.value
    }

    /// Vulnerability ids de-duplicated, CVEs first, then the rest in their order.
    public static func vulnerabilityIDs(_ ids: [String?]) -> [String] {
        var seen = Set<String>()
        var unique: [String] = []
        for case let id? in ids {
            let trimmed = id.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, seen.insert(trimmed).inserted else { continue }
            unique.append(trimmed)
        }
        return unique.filter { $0.hasPrefix("CVE-") } + unique.filter { !$0.hasPrefix("CVE-") }
    }

    /// HTML reduced to plain text: scripts and styles dropped, tags removed, common entities decoded,
    /// block ends turned into line breaks.
    public static func plainText(fromHTML html: String?) -> String {
        guard var text = html, !text.isEmpty else { return "" }
        for tag in ["script", "style"] {
            while let start = text.range(of: "<\(tag)", options: .caseInsensitive) {
                let end = text.range(of: "</\(tag)>", options: .caseInsensitive, range: start.upperBound..<text.endIndex)
                text.removeSubrange(start.lowerBound..<(end?.upperBound ?? text.endIndex))
            }
        }
        for block in ["</p>", "<br>", "<br/>", "<br />", "</li>", "</h1>", "</h2>", "</h3>", "</pre>", "</ul>"] {
            text = text.replacingOccurrences(of: block, with: block + "\n", options: .caseInsensitive)
        }
        text = text.replacingOccurrences(of: "<li>", with: "- ", options: .caseInsensitive)
        var out = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true; continue }
            if character == ">" && inTag { inTag = false; continue }
            if !inTag { out.append(character) }
        }
        let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&nbsp;": " ", "&amp;": "&"]
        for (entity, value) in entities { out = out.replacingOccurrences(of: entity, with: value) }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// At most `limit` characters.
    public static func truncated(_ text: String, _ limit: Int = 500) -> String {
        text.count <= limit ? text : String(text.prefix(limit))
    }

    /// A Markdown "Details" list from label/value pairs, skipping empty values.
    public static func details(_ pairs: [(String, String?)]) -> String {
        let lines = pairs.compactMap { label, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "- **\(label):** \(value)"
        }
        return lines.isEmpty ? "" : "\n\n**Details**\n\n" + lines.joined(separator: "\n")
    }
}
