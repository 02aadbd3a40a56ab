import BulwarkCore
import Foundation

/// Value readers shared by the Qualys XML and CSV reports: the severity table, fixed-format
/// dates (`datetime.strptime`) and the "score (vector)" CVSS cells.
enum QualysFields {
    /// DefectDojo's legacy Qualys severity table (`USE_QUALYS_LEGACY_SEVERITY_PARSING`, on by
    /// default): 1…5 → Info…Critical.
    static let legacySeverities: [Int: Severity] = [1: .info, 2: .low, 3: .medium, 4: .high, 5: .critical]

    /// A fixed-format date and time, like `datetime.strptime(text, format)` with the directives
    /// `%Y` (4 digits), `%m %d %H %M %S` (1 or 2 digits); every other character must match
    /// literally. `nil` when the text has another shape or names an impossible date.
    static func strptime(_ text: String, _ format: String) -> ParsedDateTime? {
        let input = Array(text.unicodeScalars)
        let pattern = Array(format.unicodeScalars)
        var values: [Character: Int] = [:]
        var position = 0
        var index = 0
        while index < pattern.count {
            if pattern[index] == "%", index + 1 < pattern.count {
                let directive = Character(pattern[index + 1])
                let width = directive == "Y" ? 4 : 2
                var end = position
                while end < input.count, end - position < width, input[end].properties.numericType == .decimal,
                      input[end].isASCII {
                    end += 1
                }
                guard end > position, directive != "Y" || end - position == 4,
                      let number = Int(String(String.UnicodeScalarView(input[position..<end]))) else { return nil }
                values[directive] = number
                position = end
                index += 2
            } else {
                guard position < input.count, input[position] == pattern[index] else { return nil }
                position += 1
                index += 1
            }
        }
        guard position == input.count, let year = values["Y"], let month = values["m"], let day = values["d"] else {
            return nil
        }
        let parsed = ParsedDateTime(
            year: year, month: month, day: day, hour: values["H"] ?? 0, minute: values["M"] ?? 0, second: values["S"] ?? 0)
        return parsed.instant == nil ? nil : parsed
    }

    /// Python's `float(text)` for a finite number; `nil` otherwise.
    static func finiteNumber(_ text: String) -> Double? {
        guard let value = Double(PythonText.strip(text)), value.isFinite else { return nil }
        return value
    }
}
