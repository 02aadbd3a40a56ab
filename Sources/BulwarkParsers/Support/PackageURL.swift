import Foundation

/// A package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), read the way the Python
/// `packageurl` library's `PackageURL.from_string` reads it for DefectDojo parsers: components are
/// percent-decoded, the type is lower-cased, and the names of types whose spec says so are
/// lower-cased (PyPI names also turn `_` into `-`).
struct PackageURL: Sendable, Hashable {
    /// Why a text is not a package URL.
    struct Invalid: Error, Sendable, CustomStringConvertible {
        let description: String
    }

    var type: String
    /// `nil` when the purl has no namespace.
    var namespace: String?
    var name: String
    /// `nil` when the purl has no version.
    var version: String?

    private static let lowercaseNamespaceTypes: Set<String> = ["bitbucket", "github", "gitlab", "pypi", "composer", "golang"]
    private static let lowercaseNameTypes: Set<String> = ["bitbucket", "github", "gitlab", "pypi", "composer", "npm"]

    /// Parses a purl.
    /// - Throws: ``Invalid`` when the scheme, type or name is missing or malformed.
    init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("pkg:") else {
            throw Invalid(description: "purl is missing the required \"pkg\" scheme component: \(text)")
        }
        var remainder = Substring(trimmed.dropFirst(4)).drop { $0 == "/" }
        if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
        if let question = remainder.firstIndex(of: "?") { remainder = remainder[..<question] }
        guard let slash = remainder.firstIndex(of: "/") else {
            throw Invalid(description: "purl is missing the required type component: \(text)")
        }
        let type = remainder[..<slash]
        guard let first = type.first, !first.isNumber,
              type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") })
        else {
            throw Invalid(description: "purl type is missing or contains invalid characters: \(text)")
        }
        self.type = type.lowercased()
        var path = remainder[remainder.index(after: slash)...].drop { $0 == "/" }

        var namespacePart: Substring?
        if self.type == "npm", path.hasPrefix("@"), let separator = path.firstIndex(of: "/") {
            namespacePart = path[..<separator]
            path = path[path.index(after: separator)...]
        }
        var version: Substring?
        if let at = path.lastIndex(of: "@") {
            version = path[path.index(after: at)...]
            path = path[..<at]
        }
        let segments = path.split(separator: "/")
        guard let namePart = segments.last else {
            throw Invalid(description: "purl is missing the required name component: \(text)")
        }
        let namespaceSegments = (namespacePart.map { [$0] } ?? []) + segments.dropLast()
        var namespace = namespaceSegments.map { Self.decode($0) }.joined(separator: "/")
        var name = Self.decode(namePart)
        guard !name.isEmpty else {
            throw Invalid(description: "purl is missing the required name component: \(text)")
        }
        if Self.lowercaseNamespaceTypes.contains(self.type) { namespace = namespace.lowercased() }
        if Self.lowercaseNameTypes.contains(self.type) { name = name.lowercased() }
        if self.type == "pypi" { name = name.replacingOccurrences(of: "_", with: "-") }
        self.namespace = namespace.isEmpty ? nil : namespace
        self.name = name
        let decodedVersion = version.map { Self.decode($0) }
        self.version = decodedVersion?.isEmpty == false ? decodedVersion : nil
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}
