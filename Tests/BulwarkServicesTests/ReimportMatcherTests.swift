import BulwarkCore
@testable import BulwarkServices
import BulwarkStorage
import Foundation
import Testing

/// The reimport decision table of import-semantics §3.5, row by row, against the pure matcher.
///
/// Every scenario also checks the partition invariant: each stored finding ends in exactly one of
/// untouched, reactivated or "to mitigate" (DefectDojo's `to_mitigate = original − reactivated − untouched`).
@Suite("ReimportMatcher: the reimport decision table")
struct ReimportMatcherTests {
    // MARK: - Building findings

    static let now = Date(timeIntervalSince1970: 1_717_200_000)  // 2024-06-01

    /// An incoming parser finding (DefectDojo defaults: active, not verified).
    static func report(
        _ title: String, severity: Severity = .high, description: String = "desc", uid: String? = nil, cwe: Int = 79,
        _ adjust: (inout Finding) -> Void = { _ in }
    ) -> Finding {
        var finding = Finding(title: title, severity: severity, description: description)
        finding.cwe = cwe
        finding.uniqueIDFromTool = uid
        adjust(&finding)
        return finding
    }

    /// Prepares incoming findings the way the importer does (legacy hash recipe: title, cwe, line, file_path, description).
    static func prepare(_ findings: [Finding], _ algorithm: DedupeAlgorithm = .hashCode, doNotReactivate: Bool = false) -> [PreparedFinding] {
        var options = ImportOptions()
        options.scanType = "Generic Findings Import"
        options.doNotReactivate = doNotReactivate
        return FindingPreparation.prepare(findings, options: options, dedupe: DedupeConfiguration(algorithm: algorithm), now: now)
    }

    /// A stored finding identical (hash, uid, title, severity) to a prepared one.
    static func stored(
        _ id: Int, like prepared: PreparedFinding, active: Bool = true, isMitigated: Bool = false, falsePositive: Bool = false,
        outOfScope: Bool = false, riskAccepted: Bool = false, fixAvailable: Bool? = nil, fixVersion: String? = nil,
        componentName: String? = nil, componentVersion: String? = nil
    ) -> ExistingFinding {
        ExistingFinding(
            id: id, hashCode: prepared.hashCode, uniqueID: prepared.finding.uniqueIDFromTool, title: prepared.finding.title,
            severity: prepared.finding.severity.rawValue, active: active, isMitigated: isMitigated, hasMitigatedDate: isMitigated,
            falsePositive: falsePositive, outOfScope: outOfScope, riskAccepted: riskAccepted, fixAvailable: fixAvailable,
            fixVersion: fixVersion, componentName: componentName, componentVersion: componentVersion)
    }

    static func pair(_ existing: Int, _ incoming: Int) -> ReimportPlan.Pair { ReimportPlan.Pair(existing: existing, incoming: incoming) }

    static func plan(
        _ existing: [ExistingFinding], _ incoming: [PreparedFinding], _ algorithm: DedupeAlgorithm = .hashCode, doNotReactivate: Bool = false
    ) -> ReimportPlan {
        let plan = ReimportMatcher.plan(existing: existing, incoming: incoming, algorithm: algorithm, doNotReactivate: doNotReactivate)
        checkPartition(plan, existing: existing)
        return plan
    }

    /// Each stored finding is in exactly one of untouched / reactivated / toMitigate, and nothing else appears there.
    static func checkPartition(_ plan: ReimportPlan, existing: [ExistingFinding], sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = Set(existing.map(\.id))
        let reactivated = plan.reactivate.map(\.existing)
        let buckets = plan.untouched + reactivated + plan.toMitigate
        #expect(Set(buckets) == ids, "every stored finding is decided: \(plan)", sourceLocation: sourceLocation)
        #expect(buckets.count == ids.count, "no stored finding is decided twice: \(plan)", sourceLocation: sourceLocation)
        #expect(plan.toMitigate == plan.toMitigate.sorted(), sourceLocation: sourceLocation)
        #expect(plan.untouched == plan.untouched.sorted(), sourceLocation: sourceLocation)
    }

    // MARK: - No match

    @Test("No match: every incoming finding is created; stored findings not in the report are to be mitigated")
    func noMatchCreates() {
        // Given a test holding one finding and a report with two other findings
        let incoming = Self.prepare([Self.report("SQL Injection"), Self.report("XSS")])
        let other = Self.prepare([Self.report("Open Redirect")])[0]
        let existing = [Self.stored(10, like: other)]

        // When planning the reimport
        let plan = Self.plan(existing, incoming)

        // Then both incoming findings are created and the stored one is to be mitigated
        #expect(plan.create == [0, 1])
        #expect(plan.matched.isEmpty)
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate == [10])
        #expect(plan.reactivate.isEmpty && plan.closeAsReported.isEmpty && plan.copyStatus.isEmpty && plan.skippedReactivation.isEmpty)
    }

    @Test("An empty report against an empty test plans nothing")
    func emptyEverything() {
        let plan = Self.plan([], [])
        #expect(plan == ReimportPlan())
    }

    @Test("An empty report puts every stored finding in toMitigate, whatever its status")
    func emptyReport() {
        let a = Self.prepare([Self.report("A"), Self.report("B"), Self.report("C")])
        let existing = [Self.stored(3, like: a[0]), Self.stored(1, like: a[1], active: false, isMitigated: true),
                        Self.stored(2, like: a[2], active: false, falsePositive: true)]
        let plan = Self.plan(existing, [])
        #expect(plan.toMitigate == [1, 2, 3])
        #expect(plan.untouched.isEmpty && plan.create.isEmpty)
    }

    // MARK: - Row 1: E has a special status

    struct SpecialCase: Sendable, CustomTestStringConvertible {
        var name: String
        var existing: (active: Bool, falseP: Bool, outOfScope: Bool, riskAccepted: Bool, mitigated: Bool)
        var incoming: (falseP: Bool, outOfScope: Bool, riskAccepted: Bool)
        var untouched: Bool
        var testDescription: String { name }
    }

    @Test("Row 1: E false positive / out of scope / risk accepted", arguments: [
        SpecialCase(name: "false_p, N false_p → untouched", existing: (false, true, false, false, false), incoming: (true, false, false), untouched: true),
        SpecialCase(name: "out_of_scope, N out_of_scope → untouched", existing: (false, false, true, false, false), incoming: (false, true, false), untouched: true),
        SpecialCase(name: "risk_accepted active, N risk_accepted → untouched", existing: (true, false, false, true, false), incoming: (false, false, true), untouched: true),
        SpecialCase(name: "all three flags the same → untouched", existing: (false, true, true, true, false), incoming: (true, true, true), untouched: true),
        SpecialCase(name: "risk_accepted and inactive, N plain → untouched", existing: (false, false, false, true, false), incoming: (false, false, false), untouched: true),
        SpecialCase(name: "risk_accepted and inactive, N false_p → untouched", existing: (false, false, false, true, false), incoming: (true, false, false), untouched: true),
        SpecialCase(name: "false_p, N plain → to mitigate", existing: (false, true, false, false, false), incoming: (false, false, false), untouched: false),
        SpecialCase(name: "out_of_scope, N plain → to mitigate", existing: (false, false, true, false, false), incoming: (false, false, false), untouched: false),
        SpecialCase(name: "out_of_scope, N false_p → to mitigate", existing: (false, false, true, false, false), incoming: (true, false, false), untouched: false),
        SpecialCase(name: "risk_accepted but active, N plain → to mitigate", existing: (true, false, false, true, false), incoming: (false, false, false), untouched: false),
        SpecialCase(name: "false_p + risk_accepted inactive, N false_p only → untouched (risk accepted and inactive)", existing: (false, true, false, true, true), incoming: (true, false, false), untouched: true),
        SpecialCase(name: "false_p + risk_accepted active, N false_p only → to mitigate", existing: (true, true, false, true, false), incoming: (true, false, false), untouched: false),
        SpecialCase(name: "mitigated false_p, N plain → to mitigate, not reactivated", existing: (false, true, false, false, true), incoming: (false, false, false), untouched: false),
    ])
    func specialStatus(_ row: SpecialCase) {
        // Given a stored finding with a special status and a report of the same finding
        let incoming = Self.prepare([Self.report("SQL Injection") {
            $0.falsePositive = row.incoming.falseP
            $0.outOfScope = row.incoming.outOfScope
            $0.riskAccepted = row.incoming.riskAccepted
        }])
        let e = row.existing
        let existing = [Self.stored(7, like: incoming[0], active: e.active, isMitigated: e.mitigated, falsePositive: e.falseP,
                                    outOfScope: e.outOfScope, riskAccepted: e.riskAccepted)]

        // When planning
        let plan = Self.plan(existing, incoming)

        // Then E is matched, nothing changes on it, and it is untouched or left to be mitigated
        #expect(plan.create.isEmpty)
        #expect(plan.matched == [Self.pair(7, 0)])
        #expect(plan.reactivate.isEmpty)
        #expect(plan.closeAsReported.isEmpty)
        #expect(plan.copyStatus.isEmpty)
        #expect(plan.skippedReactivation.isEmpty)
        #expect(plan.untouched == (row.untouched ? [7] : []))
        #expect(plan.toMitigate == (row.untouched ? [] : [7]))
    }

    @Test("Row 1: do_not_reactivate changes nothing for special-status findings")
    func specialStatusIgnoresDoNotReactivate() {
        let incoming = Self.prepare([Self.report("A")])
        let existing = [Self.stored(4, like: incoming[0], active: false, isMitigated: true, falsePositive: true)]
        let plan = Self.plan(existing, incoming, doNotReactivate: true)
        #expect(plan.skippedReactivation.isEmpty)
        #expect(plan.reactivate.isEmpty)
        #expect(plan.toMitigate == [4])
    }

    // MARK: - Row 2: E is mitigated

    @Test("Row 2: E mitigated, N mitigated → untouched")
    func mitigatedBothWays() {
        let incoming = Self.prepare([Self.report("A") { $0.isMitigated = true }])
        let existing = [Self.stored(5, like: incoming[0], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming)
        #expect(plan.untouched == [5])
        #expect(plan.reactivate.isEmpty && plan.skippedReactivation.isEmpty && plan.closeAsReported.isEmpty)
        #expect(plan.toMitigate.isEmpty)
        #expect(plan.matched == [Self.pair(5, 0)])
    }

    @Test("Row 2: E mitigated, N open, do_not_reactivate → skipped reactivation, counted nowhere, left in toMitigate")
    func mitigatedDoNotReactivate() {
        let incoming = Self.prepare([Self.report("A")])
        let existing = [Self.stored(5, like: incoming[0], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming, doNotReactivate: true)
        #expect(plan.skippedReactivation == [5])
        #expect(plan.reactivate.isEmpty)
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate == [5])
        #expect(plan.create.isEmpty)
    }

    @Test("Row 2: E mitigated, N mitigated, do_not_reactivate → still untouched (N mitigated is checked first)")
    func mitigatedBothWaysDoNotReactivate() {
        let incoming = Self.prepare([Self.report("A") { $0.isMitigated = true }])
        let existing = [Self.stored(5, like: incoming[0], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming, doNotReactivate: true)
        #expect(plan.untouched == [5])
        #expect(plan.skippedReactivation.isEmpty)
    }

    @Test("Row 2: E mitigated, N open → reactivated with the incoming finding")
    func mitigatedReactivated() {
        let incoming = Self.prepare([Self.report("Other"), Self.report("A")])
        let existing = [Self.stored(5, like: incoming[1], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming)
        #expect(plan.reactivate == [Self.pair(5, 1)])
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate.isEmpty)
        #expect(plan.create == [0])
        #expect(plan.matched == [Self.pair(5, 1)])
    }

    @Test("Row 2: a mitigated finding the report holds twice is reactivated once")
    func mitigatedReactivatedOnceForRepeats() {
        // Given one mitigated stored finding and a report repeating it
        let incoming = Self.prepare([Self.report("A"), Self.report("A")])
        let existing = [Self.stored(5, like: incoming[0], active: false, isMitigated: true)]

        // When planning
        let plan = Self.plan(existing, incoming)

        // Then DefectDojo reopens it for the first copy; the second copy meets an open finding (untouched,
        // then removed from untouched because it was reactivated): one reactivation, nothing created.
        #expect(plan.reactivate.map(\.existing) == [5])
        #expect(plan.create.isEmpty)
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate.isEmpty)
    }

    @Test("Row 2: do_not_reactivate with a repeated finding skips it once")
    func skippedOnceForRepeats() {
        let incoming = Self.prepare([Self.report("A"), Self.report("A")])
        let existing = [Self.stored(5, like: incoming[0], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming, doNotReactivate: true)
        #expect(plan.skippedReactivation == [5])
        #expect(plan.create.isEmpty)
    }
}
