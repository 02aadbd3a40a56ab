/// How findings of a scan type are matched against earlier ones (DefectDojo's
/// `DEDUPLICATION_ALGORITHM_PER_PARSER`, import-semantics §5 and §8).
public enum DedupeAlgorithm: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Same title (case-insensitive) and severity on reimport; title-or-CWE plus hash and
    /// endpoint/file checks on dedupe. The default for scan types DefectDojo does not list.
    case legacy
    /// Same `unique_id_from_tool` within the same test type.
    case uniqueIDFromTool = "unique_id_from_tool"
    /// Same `hash_code`.
    case hashCode = "hash_code"
    /// Same `unique_id_from_tool` or same `hash_code`.
    case uniqueIDFromToolOrHashCode = "unique_id_from_tool_or_hash_code"

    /// DefectDojo's setting value, e.g. `unique_id_from_tool_or_hash_code`.
    public var description: String { rawValue }
}
