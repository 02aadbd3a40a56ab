import BulwarkCore
import Testing

@Suite("Severity")
struct SeverityTests {
    @Test("the five DefectDojo spellings are kept", arguments: Severity.allCases)
    func exactValues(severity: Severity) {
        #expect(Severity.sanitized(severity.rawValue) == severity)
    }

    @Test("info-like values and none become Info", arguments: ["info", "Informational", "INFORMATIONAL", "information", "None", "none", "NONE"])
    func infoVariants(raw: String) {
        #expect(Severity.sanitized(raw) == .info)
    }

    @Test("other values stay unsupported, case-sensitively", arguments: ["high", "CRITICAL", "Severe", "", "medium ", "Unknown"])
    func unsupported(raw: String) {
        #expect(Severity.sanitized(raw) == nil)
    }

    @Test("named(_:) reads the five names in any case and falls back otherwise")
    func named() {
        #expect(Severity.named("CRITICAL") == .critical)
        #expect(Severity.named("high") == .high)
        #expect(Severity.named("Medium") == .medium)
        #expect(Severity.named("lOw") == .low)
        #expect(Severity.named("severe") == .info)
        #expect(Severity.named(nil, fallback: .medium) == .medium)
        #expect(Severity.named("", fallback: .low) == .low)
    }

    @Test("numerical severity is S0 for Critical through S4 for Info, S5 otherwise")
    func numerical() {
        #expect(Severity.critical.numericalSeverity == "S0")
        #expect(Severity.high.numericalSeverity == "S1")
        #expect(Severity.medium.numericalSeverity == "S2")
        #expect(Severity.low.numericalSeverity == "S3")
        #expect(Severity.info.numericalSeverity == "S4")
        #expect(Severity.numericalSeverity(for: "Bogus") == "S5")
    }

    @Test("ordering follows gravity: Critical > High > Medium > Low > Info")
    func ordering() {
        // Given the severities in shuffled order
        let shuffled: [Severity] = [.low, .critical, .info, .high, .medium]

        // When sorting descending
        let sorted = shuffled.sorted(by: >)

        // Then the worst comes first
        #expect(sorted == [.critical, .high, .medium, .low, .info])
        #expect(Severity.critical.metricNumber == 4)
        #expect(Severity.info.metricNumber == 0)
        #expect(Severity.high.rank == 1)
    }
}
