@testable import BulwarkParsers
import Testing

@Suite("CVSS 3 vector cleaning")
struct CVSS3VectorTests {
    @Test("valid vectors come back in specification order without X metrics", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        (" CVSS:3.0/AC:H/AV:L/PR:L/UI:R/S:C/C:L/I:N/A:N ", "CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:O/MAV:X/CR:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O/CR:H"),
    ])
    func valid(vector: String, cleaned: String) {
        #expect(CVSS3Vector.cleaned(vector) == cleaned)
    }

    @Test("invalid vectors give nil", arguments: [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",          // A missing
        "CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",      // unknown value
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // repeated metric
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", // unknown metric
        "AV:N/AC:L/Au:N/C:P/I:P/A:P",                       // CVSS 2
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "",
    ])
    func invalid(vector: String) {
        #expect(CVSS3Vector.cleaned(vector) == nil)
    }
}
