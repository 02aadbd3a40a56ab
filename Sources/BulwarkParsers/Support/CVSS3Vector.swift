import BulwarkCore

/// CVSS 3.x vectors read the way DefectDojo's parsers read them with the `cvss` library
/// (`parse_cvss_from_text(text)[0].clean_vector()`): a valid vector comes back with its metrics
/// in the specification's order and every "not defined" (`X`) metric dropped; an invalid one
/// gives `nil`.
enum CVSS3Vector {
    /// Every metric in specification order with the values it accepts.
    private static let metrics: [(name: String, values: Set<String>, mandatory: Bool)] = [
        ("AV", ["N", "A", "L", "P"], true), ("AC", ["L", "H"], true), ("PR", ["N", "L", "H"], true),
        ("UI", ["N", "R"], true), ("S", ["U", "C"], true), ("C", ["H", "L", "N"], true),
        ("I", ["H", "L", "N"], true), ("A", ["H", "L", "N"], true),
        ("E", ["X", "U", "P", "F", "H"], false), ("RL", ["X", "O", "T", "W", "U"], false),
        ("RC", ["X", "U", "R", "C"], false),
        ("CR", ["X", "L", "M", "H"], false), ("IR", ["X", "L", "M", "H"], false), ("AR", ["X", "L", "M", "H"], false),
        ("MAV", ["X", "N", "A", "L", "P"], false), ("MAC", ["X", "L", "H"], false),
        ("MPR", ["X", "N", "L", "H"], false), ("MUI", ["X", "N", "R"], false), ("MS", ["X", "U", "C"], false),
        ("MC", ["X", "N", "L", "H"], false), ("MI", ["X", "N", "L", "H"], false), ("MA", ["X", "N", "L", "H"], false),
    ]

    /// The cleaned vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`, or `nil` when
    /// `text` is not one valid CVSS 3.0 or 3.1 vector.
    static func cleaned(_ text: String) -> String? {
        let trimmed = PythonText.strip(text)
        let prefix: String
        if trimmed.hasPrefix("CVSS:3.1/") {
            prefix = "CVSS:3.1/"
        } else if trimmed.hasPrefix("CVSS:3.0/") {
            prefix = "CVSS:3.0/"
        } else {
            return nil
        }
        var given: [String: String] = [:]
        for part in trimmed.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2, given[String(pieces[0])] == nil else { return nil }
            given[String(pieces[0])] = String(pieces[1])
        }
        var cleaned: [String] = []
        for metric in metrics {
            guard let value = given.removeValue(forKey: metric.name) else {
                if metric.mandatory { return nil }
                continue
            }
            guard metric.values.contains(value) else { return nil }
            if value != "X" { cleaned.append("\(metric.name):\(value)") }
        }
        guard given.isEmpty else { return nil }
        return prefix + cleaned.joined(separator: "/")
    }
}
