import BulwarkParsers

/// Why an import or reimport was refused, mapped by the API to DefectDojo's bodies.
public enum ImportError: Error, Sendable {
    /// 400 `{"field": ["message"]}` (serializer errors).
    case field(String, String)
    /// 400 `{"message": "…"}` (DefectDojo's ValidationErrors from the importer).
    case message(String)
    /// 404 `{"detail": "…"}` (reimport without a test and without auto_create_context).
    case notFound(String)
    /// 403 (no permission on the target).
    case forbidden
    /// 400 for a report the parser could not read.
    case parse(ParseError)
}
