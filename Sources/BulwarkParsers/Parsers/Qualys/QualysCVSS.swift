import BulwarkCore

/// The CVSS score and vector DefectDojo's Qualys XML parser collects for one detection
/// (`split_cvss`): a value such as `8.2` is a score, `9.0 (AV:N/…)` a score and a CVSS 3.0 vector.
struct QualysCVSS {
    /// The score (`CVSS_value`), kept once set.
    var score: Double?
    /// The vector with its `CVSS:3.0/` prefix (`CVSS_vector`), kept once set.
    var vector: String?

    /// Reads one cell; `""` and `-` are no value.
    mutating func read(_ value: String?) {
        guard let value, !value.isEmpty, value != "-" else { return }
        if value.unicodeScalars.count > 4 {
            let parts = PythonString.split(value, " (")
            if score == nil, let first = parts.first { score = QualysFields.finiteNumber(first) }
            if vector == nil, parts.count > 1 {
                let inner = parts[1]
                vector = "CVSS:3.0/" + String(inner.unicodeScalars.dropLast())
            }
        } else if score == nil {
            score = QualysFields.finiteNumber(value)
        }
    }

    /// Sets `cvssv3` (the cleaned vector, when it is a valid CVSS 3 vector) and `cvssv3_score`
    /// (the score read, else the vector's score).
    func apply(to finding: inout Finding) {
        if let vector, let data = CVSSVectorText.parse(vector), data.version == .v3 {
            finding.cvssV3 = data.cleanVector
            finding.cvssV3Score = data.score
        }
        if let score { finding.cvssV3Score = score }
    }
}
