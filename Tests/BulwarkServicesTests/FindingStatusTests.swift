import BulwarkCore
import BulwarkServices
import BulwarkStorage
import Foundation
import Testing

@Suite("Finding status, age and SLA as DefectDojo computes them")
struct FindingStatusTests {
    func day(_ text: String) throws -> Date { try #require(DateFormatting.parseDay(text)) }

    @Test("display_status lists the flags in DefectDojo's order")
    func displayStatus() {
        var flags = FindingFlags()
        #expect(FindingStatus.displayStatus(flags) == "Inactive")
        flags.active = true
        flags.verified = true
        #expect(FindingStatus.displayStatus(flags) == "Active, Verified")
        flags = FindingFlags()
        flags.isMitigated = true
        flags.falsePositive = true
        #expect(FindingStatus.displayStatus(flags) == "Inactive, Mitigated, False Positive")
        flags = FindingFlags()
        flags.duplicate = true
        flags.riskAccepted = true
        flags.underReview = true
        #expect(FindingStatus.displayStatus(flags) == "Under Review, Inactive, Duplicate, Risk Accepted")
    }

    @Test("numerical_severity maps the five severities and S5 otherwise")
    func numericalSeverity() {
        #expect(["Critical", "High", "Medium", "Low", "Info", "Bogus"].map(Severity.numericalSeverity(for:)) == ["S0", "S1", "S2", "S3", "S4", "S5"])
    }

    @Test("age counts days to today, or to the mitigation date, never negative")
    func age() throws {
        #expect(FindingStatus.age(date: try day("2024-01-01"), mitigated: nil, today: try day("2024-01-31")) == 30)
        #expect(FindingStatus.age(date: try day("2024-01-01"), mitigated: try day("2024-01-11"), today: try day("2024-06-01")) == 10)
        #expect(FindingStatus.age(date: try day("2024-02-01"), mitigated: nil, today: try day("2024-01-01")) == 0)
    }

    @Test("SLA expiration and days remaining follow the product's configuration", arguments: [
        ("Critical", 7), ("High", 30), ("Medium", 90), ("Low", 120),
    ])
    func sla(severity: String, days: Int) throws {
        let start = try day("2024-01-01")
        let expiration = try #require(FindingStatus.slaExpiration(severity: severity, date: start, slaStart: nil, policy: .defaultPolicy))
        #expect(expiration == DateFormatting.adding(days: days, to: start))
        #expect(FindingStatus.slaDaysRemaining(expiration: expiration, mitigated: nil, today: try day("2024-01-03")) == days - 2)
        #expect(FindingStatus.slaDaysRemaining(expiration: expiration, mitigated: DateFormatting.adding(days: days + 5, to: start), today: try day("2030-01-01")) == -5)
    }

    @Test("Info has no SLA; an explicit SLA start date wins over the finding date; unenforced severities have none")
    func slaEdges() throws {
        #expect(FindingStatus.slaExpiration(severity: "Info", date: try day("2024-01-01"), slaStart: nil, policy: .defaultPolicy) == nil)
        let restarted = FindingStatus.slaExpiration(severity: "High", date: try day("2024-01-01"), slaStart: try day("2024-03-01"), policy: .defaultPolicy)
        #expect(restarted == DateFormatting.adding(days: 30, to: try day("2024-03-01")))
        let lax = SLAPolicy(critical: 7, high: nil, medium: 90, low: 120)
        #expect(FindingStatus.slaExpiration(severity: "High", date: try day("2024-01-01"), slaStart: nil, policy: lax) == nil)
        #expect(FindingStatus.slaDaysRemaining(expiration: nil, mitigated: nil, today: Date()) == nil)
    }
}

@Suite("CVSS v3 vectors")
struct CVSS3Tests {
    @Test("Base scores match the CVSS v3.1 calculator", arguments: [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:N/A:N/E:H/RL:O/RC:C", 5.7),
        ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
        ("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
    ])
    func baseScore(vector: String, score: Double) throws {
        #expect(try #require(CVSS3(vector: vector)).baseScore == score)
    }

    @Test("Malformed vectors are rejected", arguments: [
        "", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1",
    ])
    func rejects(vector: String) {
        #expect(CVSS3(vector: vector) == nil)
    }
}
