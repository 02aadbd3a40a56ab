/// Bounds on what one request may make the server do, checked before any work.
///
/// The values are deliberately generous for real clients (dd-import, the generated client and
/// curl send a handful of short parameters) and small enough that no request can exhaust the
/// stack, the SQL engine or memory.
public enum RequestLimits {
    /// Deepest nesting of arrays and objects in a JSON body (API bodies need three or four levels).
    public static let maxJSONDepth = 64
    /// Longest query string, in bytes.
    public static let maxQueryStringBytes = 32_768
    /// Longest single query parameter value, in bytes (also keeps LIKE patterns far below SQLite's
    /// 50,000-byte limit).
    public static let maxQueryValueBytes = 8_192
    /// Most query parameters in one request.
    public static let maxQueryParameters = 256
    /// Most parts in a multipart form (import forms have about thirty).
    public static let maxMultipartParts = 512
    /// Largest text (non-file) part of a multipart form.
    public static let maxMultipartTextFieldBytes = 1_048_576
    /// Largest total of all text parts of one multipart form.
    public static let maxMultipartTextBytes = 4 * 1_048_576
    /// What a multipart upload may carry besides its file: boundaries, part headers and text fields.
    public static let multipartAllowanceBytes = maxMultipartTextBytes + 1_048_576
}
