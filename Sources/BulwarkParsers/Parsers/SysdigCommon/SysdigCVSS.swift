import BulwarkCore
import Foundation

/// The CVSS step both Sysdig CSV mappings share.
enum SysdigCVSS {
    /// Sets `cvssv3_score` (and the cleaned vector when it is a valid CVSS 3 vector) for CVSS
    /// versions from 3 to below 4.
    /// - Returns: `false` when the version, or the score of a 3.x row, is not a number: DefectDojo
    ///   then drops the row.
    static func apply(version: String, score: String, vector: String, to finding: inout Finding) -> Bool {
        guard let number = SysdigCSVRow.pythonFloat(version) else { return false }
        guard number >= 3, number < 4 else { return true }
        guard let value = SysdigCSVRow.pythonFloat(score) else { return false }
        finding.cvssV3Score = value
        if let cvss = CVSSText.firstV3(in: vector) { finding.cvssV3 = cvss.cleanVector }
        return true
    }
}
