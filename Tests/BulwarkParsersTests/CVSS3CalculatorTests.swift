@testable import BulwarkParsers
import Testing

/// Scores checked against the `cvss` Python library DefectDojo uses (3.6).
@Suite("CVSS 3 calculator")
struct CVSS3CalculatorTests {
    @Test("clean vectors and scores", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 9.8, 9.8),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N", 7.2, 7.2, 7.2),
        ("CVSS:3.1/A:H/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/E:P/RL:X/RC:C", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:P/RC:C", 7.5, 7.1, 7.1),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:L/MAV:L", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/CR:L/MAV:L", 9.9, 9.9, 8.7),
        ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H/MS:U/MC:L", "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H/MS:U/MC:L", 7.2, 7.2, 5.8),
        ("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, 9.9, 9.9),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, 0.0, 0.0),
    ])
    func scores(vector: String, clean: String, base: Double, temporal: Double, environmental: Double) throws {
        let cvss = try #require(CVSS3Calculator(vector))
        #expect(cvss.cleanVector == clean)
        #expect(cvss.baseScore == base)
        #expect(cvss.temporalScore == temporal)
        #expect(cvss.environmentalScore == environmental)
    }

    @Test("vectors the library rejects", arguments: [
        "", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ])
    func rejected(vector: String) {
        #expect(CVSS3Calculator(vector) == nil)
    }
}
