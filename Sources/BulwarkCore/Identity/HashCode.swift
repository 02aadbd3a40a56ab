
/// DefectDojo's `hash_code`, computed byte for byte like `Finding.compute_hash_code`
/// (import-semantics §6).
///
/// The configured fields are rendered as Python's `str()` would (`None` for missing values,
/// decimal integers) and concatenated with no separator. `endpoints` contributes the canonical
/// endpoint strings in report order without duplicates; `vulnerability_ids` the ids de-duplicated
/// and sorted. A non-empty `service` is appended. The text is case-folded, UTF-8 encoded,
/// stripped of leading and trailing ASCII whitespace and hashed with SHA-256 (lower-case hex).
///
/// Call it on the finding as the importer will save it: severity sanitised, `service` stamped
/// and ``Finding/synchronizingCVE()`` applied.
public enum HashCode {
    /// The hash code of a finding under a scan type's configuration.
    ///
    /// - Parameters:
    ///   - finding: The finding to hash.
    ///   - configuration: The scan type's dedupe settings.
    /// - Returns: 64 lower-case hexadecimal characters.
    public static func compute(for finding: Finding, configuration: DedupeConfiguration) -> String {
        digest(of: hashedText(for: finding, configuration: configuration))
    }

    /// The text that is hashed (before case folding), for diagnostics and tests.
    public static func hashedText(for finding: Finding, configuration: DedupeConfiguration) -> String {
        var text = ""
        if let fields = configuration.hashFields, !fields.isEmpty,
           !(finding.cwe == 0 && !configuration.allowsNullCWE) {
            for field in fields {
                text += value(of: field, in: finding)
            }
        } else {
            text = legacyText(for: finding)
        }
        // HASH_CODE_FIELDS_ALWAYS = ["service"], appended when truthy.
        if let service = finding.service, !service.isEmpty {
            text += service
        }
        return text
    }

    /// DefectDojo's legacy recipe: `title + str(cwe) + str(line) + str(file_path) + description`.
    public static func legacyText(for finding: Finding) -> String {
        finding.title + pythonString(finding.cwe) + pythonString(finding.line)
            + pythonString(finding.filePath) + finding.description
    }

    /// One field rendered as DefectDojo renders it for hashing.
    public static func value(of field: HashField, in finding: Finding) -> String {
        switch field {
        case .title: finding.title
        case .cwe: pythonString(finding.cwe)
        case .vulnerabilityIDs: uniqued(finding.vulnerabilityIDs).sorted(by: pythonOrder).joined()
        case .line: pythonString(finding.line)
        case .filePath: pythonString(finding.filePath)
        case .payload: pythonString(finding.payload)
        case .componentName: pythonString(finding.componentName)
        case .componentVersion: pythonString(finding.componentVersion)
        case .description: finding.description
        case .endpoints: uniqued(finding.endpoints.map(\.canonicalString)).joined()
        case .uniqueIDFromTool: pythonString(finding.uniqueIDFromTool)
        case .severity: finding.severity.rawValue
        case .vulnIDFromTool: pythonString(finding.vulnIDFromTool)
        case .mitigation: pythonString(finding.mitigation)
        }
    }

    /// SHA-256 of the case-folded, UTF-8 encoded, ASCII-whitespace-stripped text.
    public static func digest(of text: String) -> String {
        let bytes = PythonText.stripASCIIWhitespace(Array(PythonText.casefold(text).utf8))
        return SHA256Digest.hexDigest(bytes)
    }

    private static func pythonString(_ value: String?) -> String { value ?? "None" }
    private static func pythonString(_ value: Int?) -> String { value.map(String.init) ?? "None" }

    /// Python's `dict.fromkeys(list)`: first occurrence wins, order kept.
    private static func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Python compares strings by code point, which differs from Swift's `<` (grapheme-based).
    private static func pythonOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars) { $0.value < $1.value }
    }
}
