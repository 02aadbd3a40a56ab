/// Which elements ``XMLRecordReader`` hands over as records (or keeps as headers), matched against
/// the chain of open elements from the root down.
///
/// Written as a string:
/// - `"Result"`: any element with that local name, at any depth, in any namespace;
/// - `"Query/Result"`: a `Result` whose parent is a `Query` (the end of the path matches);
/// - `"/CxXMLResults/Query/Result"`: exactly that path from the root.
///
/// Each step is a local name (any namespace), `{uri}local` (that namespace only; `{}local` for
/// none) or `*` (any element). An element inside a record is part of that record, never a record
/// of its own.
struct XMLRecordPattern: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    private enum Step: Sendable, Hashable {
        case any
        case local(String)
        case qualified(namespace: String?, local: String)

        func matches(_ name: XMLRecordPattern.Name) -> Bool {
            switch self {
            case .any: true
            case .local(let local): name.local == local
            case .qualified(let namespace, let local): name.local == local && name.namespace == namespace
            }
        }
    }

    /// An open element's name as the matcher sees it.
    struct Name: Sendable, Hashable {
        var local: String
        var namespace: String?
    }

    private let steps: [Step]
    private let anchored: Bool
    /// The pattern as written.
    let description: String

    /// Parses a pattern (see the type's documentation).
    init(_ pattern: String) {
        description = pattern
        anchored = pattern.hasPrefix("/")
        let body = anchored ? String(pattern.dropFirst()) : pattern
        steps = Self.splitSteps(body).map(Self.step)
    }

    init(stringLiteral value: String) {
        self.init(value)
    }

    /// Whether the innermost element of `path` (root first) is selected.
    func matches(_ path: [Name]) -> Bool {
        guard !steps.isEmpty, path.count >= steps.count else { return false }
        if anchored, path.count != steps.count { return false }
        let offset = path.count - steps.count
        for (index, step) in steps.enumerated() where !step.matches(path[offset + index]) {
            return false
        }
        return true
    }

    /// Splits on `/` outside `{…}`.
    private static func splitSteps(_ body: String) -> [Substring] {
        var parts: [Substring] = []
        var start = body.startIndex
        var inBraces = false
        var index = body.startIndex
        while index < body.endIndex {
            switch body[index] {
            case "{": inBraces = true
            case "}": inBraces = false
            case "/" where !inBraces:
                parts.append(body[start..<index])
                start = body.index(after: index)
            default: break
            }
            index = body.index(after: index)
        }
        parts.append(body[start...])
        return parts.filter { !$0.isEmpty }
    }

    private static func step(_ text: Substring) -> Step {
        if text == "*" { return .any }
        if text.hasPrefix("{"), let close = text.firstIndex(of: "}") {
            let uri = String(text[text.index(after: text.startIndex)..<close])
            return .qualified(namespace: uri.isEmpty ? nil : uri, local: String(text[text.index(after: close)...]))
        }
        return .local(String(text))
    }
}
