import Foundation
import Testing

@testable import BulwarkParsers

/// The `parse_cvss_from_text` port used by several container-scanner parsers.
@Suite("CVSS text")
struct CVSSTextTests {
    @Test("finds a 3.x vector in text and cleans it")
    func version3() throws {
        // Given text around a vector with an undefined temporal metric
        let vector = try #require(CVSSText.firstV3(in: "score 7.5 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/E:X (nvd)"))

        // Then the cleaned vector drops "X" and the scores follow the specification
        #expect(vector.cleanVector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H")
        #expect(vector.baseScore == 7.5)
        #expect(CVSSText.severity(ofScore: vector.baseScore) == "High")
    }

    @Test("recognises 2.0 and 4.0 vectors and rejects invalid ones", arguments: [
        ("AV:N/AC:L/Au:N/C:P/I:P/A:P", "v2"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "v4"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N", "none"),
        ("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "none"),
        ("short", "none"),
    ])
    func versions(text: String, expected: String) {
        let kind: String
        switch CVSSText.firstVector(in: text) {
        case .v2?: kind = "v2"
        case .v3?: kind = "v3"
        case .v4?: kind = "v4"
        case nil: kind = "none"
        }
        #expect(kind == expected)
    }
}
