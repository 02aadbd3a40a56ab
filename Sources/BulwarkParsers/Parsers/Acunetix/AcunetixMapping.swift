import BulwarkCore

/// Field conversions the Acunetix XML and Acunetix 360 JSON readers share with Netsparker's.
enum AcunetixMapping {
    /// The first CVSS vector in the text, cleaned (`parse_cvss_from_text(text)[0].clean_vector()`):
    /// 3.x vectors in specification order, 4.0 vectors as written. A CVSS 2 vector gives `nil`
    /// (DefectDojo would store it in cvssv3; no report seen carries one).
    static func cleanVector(in text: String) -> String? {
        switch CVSSText.firstVector(in: text) {
        case .v3(let vector)?: vector.cleanVector
        case .v4(let vector)?: vector
        case .v2?, nil: nil
        }
    }
}
