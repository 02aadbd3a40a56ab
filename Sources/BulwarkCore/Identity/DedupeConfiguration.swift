/// A finding field DefectDojo allows in `hash_code` (`HASHCODE_ALLOWED_FIELDS`).
public enum HashField: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case title
    case cwe
    case vulnerabilityIDs = "vulnerability_ids"
    case line
    case filePath = "file_path"
    case payload
    case componentName = "component_name"
    case componentVersion = "component_version"
    case description
    case endpoints
    case uniqueIDFromTool = "unique_id_from_tool"
    case severity
    case vulnIDFromTool = "vuln_id_from_tool"
    case mitigation

    /// The fields of DefectDojo's legacy hash, in order.
    public static let legacyFields: [HashField] = [.title, .cwe, .line, .filePath, .description]

    /// DefectDojo's field name, e.g. `file_path`.
    public var description: String { rawValue }
}

/// How a scan type is deduplicated: the algorithm and the `hash_code` recipe.
///
/// Mirrors three DefectDojo settings for one scan type: `DEDUPLICATION_ALGORITHM_PER_PARSER`,
/// `HASHCODE_FIELDS_PER_SCANNER` and `HASHCODE_ALLOWS_NULL_CWE` (import-semantics §8).
///
/// ```swift
/// let zap = DedupeConfiguration(algorithm: .hashCode, hashFields: [.title, .cwe, .severity],
///                               allowsNullCWE: false)
/// ```
public struct DedupeConfiguration: Sendable, Hashable, Codable {
    /// The matching algorithm.
    public var algorithm: DedupeAlgorithm
    /// Fields concatenated into `hash_code`, in order; `nil` means the legacy recipe.
    public var hashFields: [HashField]?
    /// Whether a finding with `cwe == 0` may use ``hashFields``; when `false` such findings fall
    /// back to the legacy recipe. DefectDojo's default is `true`.
    public var allowsNullCWE: Bool

    /// Creates a configuration.
    public init(algorithm: DedupeAlgorithm, hashFields: [HashField]? = nil, allowsNullCWE: Bool = true) {
        self.algorithm = algorithm
        self.hashFields = hashFields
        self.allowsNullCWE = allowsNullCWE
    }

    /// DefectDojo's behaviour for a scan type it has no settings for: legacy algorithm, legacy hash.
    public static let legacy = DedupeConfiguration(algorithm: .legacy)

    /// Shorthand for the `hash_code` algorithm.
    public static func hashCode(fields: [HashField]? = nil, allowsNullCWE: Bool = true) -> DedupeConfiguration {
        DedupeConfiguration(algorithm: .hashCode, hashFields: fields, allowsNullCWE: allowsNullCWE)
    }

    /// Shorthand for the `unique_id_from_tool` algorithm.
    public static func uniqueIDFromTool(fields: [HashField]? = nil, allowsNullCWE: Bool = true) -> DedupeConfiguration {
        DedupeConfiguration(algorithm: .uniqueIDFromTool, hashFields: fields, allowsNullCWE: allowsNullCWE)
    }

    /// Shorthand for the `unique_id_from_tool_or_hash_code` algorithm.
    public static func uniqueIDFromToolOrHashCode(fields: [HashField]? = nil, allowsNullCWE: Bool = true) -> DedupeConfiguration {
        DedupeConfiguration(algorithm: .uniqueIDFromToolOrHashCode, hashFields: fields, allowsNullCWE: allowsNullCWE)
    }
}
