import BulwarkCore

/// Why a report could not be parsed, written for the person who uploaded it.
///
/// Shaped like swift-nio's `FileSystemError`: a stable ``Code`` to branch on, a human ``reason``,
/// the ``scanType``, where in the file it happened (``position``) and the underlying ``cause``.
/// ``message`` combines reason and position, e.g.
/// `Finding severity "Severe" is not supported. … (at $.findings[2].severity)`.
/// The API answers these with 400.
public struct ParseError: Error, Sendable, CustomStringConvertible {
    /// A stable category for the failure. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case empty, malformedInput, unsupportedFormat, missingField, invalidValue
            case unexpectedField, unsupportedSeverity, unsupportedVersion, unreadableInput, unknownScanType
            case limitExceeded
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The file has no content.
        public static let empty = Code(.empty)
        /// The bytes are not well-formed JSON, XML, CSV or UTF-8 text.
        public static let malformedInput = Code(.malformedInput)
        /// Well-formed, but not the format this scan type reads (e.g. XML uploaded as SARIF).
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// A required field or column is missing.
        public static let missingField = Code(.missingField)
        /// A field has a value of the wrong type or an unusable value.
        public static let invalidValue = Code(.invalidValue)
        /// A field the format does not allow is present.
        public static let unexpectedField = Code(.unexpectedField)
        /// A severity that is not one of Critical, High, Medium, Low, Info after sanitising.
        public static let unsupportedSeverity = Code(.unsupportedSeverity)
        /// A format version this parser does not read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The file could not be read.
        public static let unreadableInput = Code(.unreadableInput)
        /// No parser is registered for the scan type.
        public static let unknownScanType = Code(.unknownScanType)
        /// The report passes a safety limit (e.g. a zip with too many entries, too many bytes or
        /// an implausible compression ratio).
        public static let limitExceeded = Code(.limitExceeded)

        /// The code's name, e.g. `unsupportedSeverity`.
        public var description: String { value.rawValue }
    }

    /// Where in the report the problem is.
    public enum Position: Sendable, Hashable, CustomStringConvertible {
        /// A JSON coding path such as `$.runs[0].results[3].level`.
        case jsonPath(String)
        /// A 1-based line and column in a text file (JSON syntax errors, XML).
        case text(line: Int, column: Int)
        /// A 1-based CSV line, optionally with the column name.
        case csv(line: Int, column: String?)
        /// A 0-based byte offset (e.g. invalid UTF-8).
        case byteOffset(Int)
        /// An entry of a zip archive, by its path inside the archive.
        case archiveEntry(String)

        public var description: String {
            switch self {
            case .jsonPath(let path): path
            case .text(let line, let column): "line \(line), column \(column)"
            case .csv(let line, let column):
                column.map { "line \(line), column \"\($0)\"" } ?? "line \(line)"
            case .byteOffset(let offset): "byte \(offset)"
            case .archiveEntry(let path): "archive entry \"\(path)\""
            }
        }
    }

    /// The category.
    public var code: Code
    /// What is wrong, without the position.
    public var reason: String
    /// The scan type being parsed, when known.
    public var scanType: ScanType?
    /// Where the problem is, when known.
    public var position: Position?
    /// The lower-level error, if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(
        _ code: Code, _ reason: String, scanType: ScanType? = nil, position: Position? = nil,
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.reason = reason
        self.scanType = scanType
        self.position = position
        self.cause = cause
    }

    /// The reason followed by the position, ready to show to the user.
    public var message: String {
        guard let position else { return reason }
        return "\(reason) (at \(position))"
    }

    /// `[<scan type>] <message>`, plus the cause when there is one.
    public var description: String {
        var text = scanType.map { "[\($0.rawValue)] " } ?? ""
        text += message
        if let cause { text += " — caused by: \(cause)" }
        return text
    }

    /// A copy that names the scan type (parsers fill it in once at the top level).
    public func naming(_ scanType: ScanType) -> ParseError {
        var copy = self
        if copy.scanType == nil { copy.scanType = scanType }
        return copy
    }

    /// The error for a severity that stays unsupported after sanitising, worded like DefectDojo.
    public static func unsupportedSeverity(_ value: String, position: Position? = nil) -> ParseError {
        let supported = Severity.supportedValues.map { "'\($0)'" }.joined(separator: ", ")
        return ParseError(
            .unsupportedSeverity,
            "Finding severity \"\(value)\" is not supported. Any of the following are supported: [\(supported)].",
            position: position)
    }
}
