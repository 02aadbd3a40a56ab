import BulwarkCore

extension Severity {
    /// Sanitises a reported severity (import-semantics §3.3) or throws the error DefectDojo's
    /// importer would answer with (400, naming the value).
    static func sanitizedOrThrow(_ raw: String, at position: ParseError.Position?) throws(ParseError) -> Severity {
        guard let severity = Severity.sanitized(raw) else {
            throw ParseError.unsupportedSeverity(raw, position: position)
        }
        return severity
    }
}
