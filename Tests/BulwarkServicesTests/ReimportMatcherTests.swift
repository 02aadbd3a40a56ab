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

    // MARK: - Row 3: E is active

    @Test("Row 3: E active, N mitigated → closed as reported (to mitigate, not untouched)")
    func activeClosedAsReported() {
        let incoming = Self.prepare([Self.report("A") { $0.isMitigated = true }])
        let existing = [Self.stored(8, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.closeAsReported == [Self.pair(8, 0)])
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate == [8])
        #expect(plan.copyStatus.isEmpty && plan.reactivate.isEmpty)
    }

    @Test("Row 3: E active, N false_p / out_of_scope / risk_accepted → status copied", arguments: ["false_p", "out_of_scope", "risk_accepted"])
    func activeCopyStatus(flag: String) {
        let incoming = Self.prepare([Self.report("A") {
            switch flag {
            case "false_p": $0.falsePositive = true
            case "out_of_scope": $0.outOfScope = true
            default: $0.riskAccepted = true
            }
        }])
        let existing = [Self.stored(8, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.copyStatus == [Self.pair(8, 0)])
        #expect(plan.closeAsReported.isEmpty)
        #expect(plan.untouched.isEmpty)
        #expect(plan.toMitigate == [8])
    }

    @Test("Row 3: E active, N mitigated and false_p → closed as reported (mitigation is checked first)")
    func activeMitigatedWins() {
        let incoming = Self.prepare([Self.report("A") { $0.isMitigated = true; $0.falsePositive = true }])
        let existing = [Self.stored(8, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.closeAsReported == [Self.pair(8, 0)])
        #expect(plan.copyStatus.isEmpty)
    }

    @Test("Row 3: E active, N open → untouched (also with do_not_reactivate)", arguments: [false, true])
    func activeUntouched(doNotReactivate: Bool) {
        let incoming = Self.prepare([Self.report("A")])
        let existing = [Self.stored(8, like: incoming[0])]
        let plan = Self.plan(existing, incoming, doNotReactivate: doNotReactivate)
        #expect(plan.untouched == [8])
        #expect(plan.toMitigate.isEmpty)
        #expect(plan.create.isEmpty)
        #expect(plan.matched == [Self.pair(8, 0)])
        #expect(plan.refresh.isEmpty)
    }

    @Test("Row 3: an inactive but not mitigated finding is treated as active (untouched, not reactivated)")
    func inactiveNotMitigated() {
        let incoming = Self.prepare([Self.report("A")])
        let existing = [Self.stored(8, like: incoming[0], active: false)]
        let plan = Self.plan(existing, incoming)
        #expect(plan.untouched == [8])
        #expect(plan.reactivate.isEmpty)
    }

    // MARK: - Repeats within one report

    @Test("A new finding repeated in the report is created once", arguments: [2, 3, 5])
    func newFindingRepeated(copies: Int) {
        let incoming = Self.prepare(Array(repeating: Self.report("A"), count: copies) + [Self.report("B")])
        let plan = Self.plan([], incoming)
        #expect(plan.create == [0, copies])
        #expect(plan.matched.isEmpty)
    }

    @Test("A new finding repeated under unique_id_from_tool is created once, even when other fields differ")
    func newFindingRepeatedByUID() {
        let incoming = Self.prepare([Self.report("A", uid: "u-1"), Self.report("A v2", uid: "u-1"), Self.report("B", uid: "u-2")], .uniqueIDFromTool)
        let plan = Self.plan([], incoming, .uniqueIDFromTool)
        #expect(plan.create == [0, 2])
    }

    @Test("Two identical stored findings and two identical incoming ones: both untouched, nothing closed or created")
    func twoAndTwo() {
        let incoming = Self.prepare([Self.report("A"), Self.report("A")])
        let existing = [Self.stored(21, like: incoming[0]), Self.stored(20, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.untouched == [20, 21])
        #expect(plan.toMitigate.isEmpty)
        #expect(plan.create.isEmpty)
        #expect(Set(plan.matched.map(\.existing)) == [20, 21])
    }

    @Test("Two identical stored findings, one incoming: the oldest (lowest id) is matched, the other is to be mitigated")
    func oldestWins() {
        let incoming = Self.prepare([Self.report("A")])
        // Stored out of order on purpose: matching must order candidates by id.
        let existing = [Self.stored(31, like: incoming[0]), Self.stored(30, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.matched == [Self.pair(30, 0)])
        #expect(plan.untouched == [30])
        #expect(plan.toMitigate == [31])
    }

    @Test("Three identical incoming against two stored: nothing created, both untouched")
    func threeAgainstTwo() {
        let incoming = Self.prepare([Self.report("A"), Self.report("A"), Self.report("A")])
        let existing = [Self.stored(1, like: incoming[0]), Self.stored(2, like: incoming[0])]
        let plan = Self.plan(existing, incoming)
        #expect(plan.create.isEmpty)
        #expect(plan.untouched == [1, 2])
    }

    // MARK: - Matching keys per algorithm

    @Test("hash_code: same hash matches whatever the uid; same uid with another hash does not")
    func hashCodeKey() {
        let incoming = Self.prepare([Self.report("A", uid: "other-uid"), Self.report("B", uid: "u-1")])
        let a = Self.prepare([Self.report("A", uid: "u-9")])[0]
        let c = Self.prepare([Self.report("C", uid: "u-1")])[0]
        let existing = [Self.stored(1, like: a), Self.stored(2, like: c)]
        let plan = Self.plan(existing, incoming, .hashCode)
        #expect(plan.matched == [Self.pair(1, 0)])
        #expect(plan.create == [1])
        #expect(plan.untouched == [1])
        #expect(plan.toMitigate == [2])
    }

    @Test("hash_code: the hash is case-folded, so a title differing only in case still matches")
    func hashCodeIsCaseFolded() {
        // DefectDojo casefolds the hashed text, so "SQL Injection" and "sql injection" share a hash.
        let incoming = Self.prepare([Self.report("sql injection")])
        let stored = Self.prepare([Self.report("SQL Injection")])[0]
        #expect(incoming[0].hashCode == stored.hashCode)
        let plan = Self.plan([Self.stored(1, like: stored)], incoming, .hashCode)
        #expect(plan.untouched == [1])
    }

    @Test("unique_id_from_tool: same uid matches even when title, severity and hash differ; no uid never matches")
    func uniqueIDKey() {
        let incoming = Self.prepare([
            Self.report("Renamed", severity: .low, description: "new text", uid: "u-1"),
            Self.report("Same title", uid: nil),
            Self.report("Other", uid: "u-3"),
        ], .uniqueIDFromTool)
        let old1 = Self.prepare([Self.report("Original", severity: .critical, uid: "u-1")], .uniqueIDFromTool)[0]
        let old2 = Self.prepare([Self.report("Same title", uid: nil)], .uniqueIDFromTool)[0]
        let existing = [Self.stored(1, like: old1), Self.stored(2, like: old2)]
        #expect(old2.hashCode == incoming[1].hashCode)
        let plan = Self.plan(existing, incoming, .uniqueIDFromTool)
        #expect(plan.matched == [Self.pair(1, 0)])
        #expect(plan.create == [1, 2])
        #expect(plan.untouched == [1])
        #expect(plan.toMitigate == [2])
    }

    @Test("unique_id_from_tool_or_hash_code: uid matches, hash matches, and the union is taken oldest first")
    func uidOrHashKey() {
        let incoming = Self.prepare([
            Self.report("Renamed", uid: "u-1"),   // uid of #10 only
            Self.report("B", uid: "u-new"),       // hash of #11 only
            Self.report("C", uid: "u-12"),        // hash of #14 and uid of #12 → oldest (#12)
            Self.report("D", uid: "u-none"),      // nothing
        ], .uniqueIDFromToolOrHashCode)
        let a = Self.prepare([Self.report("A", uid: "u-1")], .uniqueIDFromToolOrHashCode)[0]
        let b = Self.prepare([Self.report("B", uid: "u-old")], .uniqueIDFromToolOrHashCode)[0]
        let x = Self.prepare([Self.report("X", uid: "u-12")], .uniqueIDFromToolOrHashCode)[0]
        let c = Self.prepare([Self.report("C", uid: "u-14")], .uniqueIDFromToolOrHashCode)[0]
        let existing = [Self.stored(14, like: c), Self.stored(10, like: a), Self.stored(11, like: b), Self.stored(12, like: x)]
        let plan = Self.plan(existing, incoming, .uniqueIDFromToolOrHashCode)
        #expect(plan.matched == [Self.pair(10, 0), Self.pair(11, 1), Self.pair(12, 2)])
        #expect(plan.create == [3])
        #expect(plan.untouched == [10, 11, 12])
        #expect(plan.toMitigate == [14])
    }

    @Test("legacy: title compared case-insensitively plus the same severity; hash and uid do not matter")
    func legacyKey() {
        let incoming = Self.prepare([
            Self.report("SQL INJECTION", severity: .high, description: "changed description", uid: "x"),
            Self.report("XSS", severity: .medium),
            Self.report("Open Redirect", severity: .low),
        ], .legacy)
        let sql = Self.prepare([Self.report("Sql Injection", severity: .high, description: "original", uid: "y")], .legacy)[0]
        let xss = Self.prepare([Self.report("XSS", severity: .high)], .legacy)[0]
        let hashTwin = Self.prepare([Self.report("Redirect (renamed)", severity: .low)], .legacy)[0]
        var twin = Self.stored(3, like: hashTwin)
        twin.hashCode = incoming[2].hashCode  // same hash, different title: legacy does not use the hash
        let existing = [Self.stored(1, like: sql), Self.stored(2, like: xss), twin]
        let plan = Self.plan(existing, incoming, .legacy)
        #expect(plan.matched == [Self.pair(1, 0)])
        #expect(plan.create == [1, 2])
        #expect(plan.untouched == [1])
        #expect(plan.toMitigate == [2, 3])
    }

    @Test("A stored finding without a hash code never matches under hash_code")
    func nilHashNeverMatches() {
        let incoming = Self.prepare([Self.report("A")])
        var e = Self.stored(1, like: incoming[0])
        e.hashCode = nil
        let plan = Self.plan([e], incoming, .hashCode)
        #expect(plan.create == [0])
        #expect(plan.toMitigate == [1])
    }

    // MARK: - Field refresh

    @Test("fix_available / fix_version differing on an open match are refreshed")
    func refreshFix() {
        let incoming = Self.prepare([Self.report("A") { $0.fixAvailable = true; $0.fixVersion = "2.0.1" }, Self.report("B") { $0.fixAvailable = true; $0.fixVersion = "1.0" }])
        let existing = [Self.stored(1, like: incoming[0], fixAvailable: false, fixVersion: nil),
                        Self.stored(2, like: incoming[1], fixAvailable: true, fixVersion: "1.0")]
        let plan = Self.plan(existing, incoming)
        #expect(plan.refresh == [Self.pair(1, 0)])
        #expect(plan.untouched == [1, 2])
    }

    @Test("Empty component fields are filled from the report; set ones are not overwritten")
    func refreshComponents() {
        let incoming = Self.prepare([
            Self.report("A") { $0.componentName = "lodash"; $0.componentVersion = "4.17.20" },
            Self.report("B") { $0.componentName = "left-pad" },
            Self.report("C") { $0.componentName = "new-name"; $0.componentVersion = "9" },
        ])
        let existing = [
            Self.stored(1, like: incoming[0]),
            Self.stored(2, like: incoming[1], componentName: nil, componentVersion: nil),
            Self.stored(3, like: incoming[2], componentName: "old-name", componentVersion: "1"),
        ]
        let plan = Self.plan(existing, incoming)
        #expect(plan.refresh == [Self.pair(1, 0), Self.pair(2, 1)])
    }

    @Test("A reactivated finding is refreshed when its fix fields differ")
    func refreshOnReactivation() {
        let incoming = Self.prepare([Self.report("A") { $0.fixAvailable = true; $0.fixVersion = "3" }])
        let existing = [Self.stored(1, like: incoming[0], active: false, isMitigated: true)]
        let plan = Self.plan(existing, incoming)
        #expect(plan.reactivate == [Self.pair(1, 0)])
        #expect(plan.refresh == [Self.pair(1, 0)])
    }

    @Test("Row 1 changes nothing on a special-status finding: no refresh even when fix fields differ")
    func noRefreshForSpecialStatus() {
        let incoming = Self.prepare([Self.report("A") { $0.fixAvailable = true; $0.fixVersion = "3"; $0.falsePositive = true }])
        let existing = [Self.stored(1, like: incoming[0], active: false, falsePositive: true, fixAvailable: false)]
        let plan = Self.plan(existing, incoming)
        #expect(plan.untouched == [1])
        #expect(plan.refresh.isEmpty)
    }

    // MARK: - Set arithmetic

    @Test("toMitigate = original − reactivated − untouched; untouched excludes toMitigate, new and reactivated")
    func setArithmetic() {
        // Given a test with findings in every state and a report that touches some of them
        let p = Self.prepare([
            Self.report("Open kept"),              // 0 → #1 untouched
            Self.report("Mitigated back"),         // 1 → #3 reactivated
            Self.report("FP flipped"),             // 2 → #5 special status, flags differ → to mitigate
            Self.report("Brand new"),              // 3 → created
            Self.report("Closed by tool") { $0.isMitigated = true },  // 4 → #6 closed as reported
            Self.report("Still mitigated") { $0.isMitigated = true }, // 5 → #7 untouched
        ])
        let gone = Self.prepare([Self.report("Gone open"), Self.report("Gone mitigated")])
        let existing = [
            Self.stored(1, like: p[0]),
            Self.stored(2, like: gone[0]),
            Self.stored(3, like: p[1], active: false, isMitigated: true),
            Self.stored(4, like: gone[1], active: false, isMitigated: true),
            Self.stored(5, like: p[2], active: false, falsePositive: true),
            Self.stored(6, like: p[4]),
            Self.stored(7, like: p[5], active: false, isMitigated: true),
        ]

        // When planning
        let plan = Self.plan(existing, p)

        // Then
        #expect(plan.create == [3])
        #expect(plan.untouched == [1, 7])
        #expect(plan.reactivate == [Self.pair(3, 1)])
        #expect(plan.closeAsReported == [Self.pair(6, 4)])
        #expect(plan.toMitigate == [2, 4, 5, 6])
        #expect(Set(plan.untouched).isDisjoint(with: plan.toMitigate))
        #expect(plan.matched.map(\.existing).sorted() == [1, 3, 5, 6, 7])
    }

    @Test("The plan does not depend on the order stored findings are given in")
    func orderIndependent() {
        let p = Self.prepare([Self.report("A"), Self.report("B"), Self.report("C")])
        let existing = [Self.stored(1, like: p[0]), Self.stored(2, like: p[1], active: false, isMitigated: true), Self.stored(3, like: p[0])]
        let forward = Self.plan(existing, p)
        let backward = Self.plan(Array(existing.reversed()), p)
        #expect(forward == backward)
        #expect(forward.untouched == [1] && forward.toMitigate == [3] && forward.reactivate == [Self.pair(2, 1)] && forward.create == [2])
    }

    // MARK: - Preparation feeding the matcher

    @Test("Preparation drops findings below minimum_severity and stamps service before hashing")
    func preparationFeedsMatcher() {
        var options = ImportOptions()
        options.minimumSeverity = .medium
        options.service = "billing"
        let findings = [Self.report("A", severity: .low), Self.report("B", severity: .medium), Self.report("C", severity: .critical)]
        let prepared = FindingPreparation.prepare(findings, options: options, dedupe: .hashCode(), now: Self.now)
        #expect(prepared.map(\.finding.title) == ["B", "C"])
        #expect(prepared.allSatisfy { $0.finding.service == "billing" })
        let withoutService = Self.prepare([Self.report("B", severity: .medium)])[0]
        #expect(prepared[0].hashCode != withoutService.hashCode)
        #expect(prepared[0].hashCode == HashCode.digest(of: "B79NoneNonedescbilling"))
    }

    @Test("Preparation: scan_date overrides the date of every finding; without it the parser date or today is used")
    func preparationScanDate() {
        var options = ImportOptions()
        let withDate = Self.report("A") { $0.date = CalendarDate(year: 2023, month: 2, day: 3) }
        let plain = Self.report("B")
        #expect(FindingPreparation.prepare([withDate, plain], options: options, dedupe: .hashCode(), now: Self.now).map(\.date)
            == ["2023-02-03", DateFormatting.day(Self.now)])
        options.scanDate = DateFormatting.parseDay("2024-05-01")
        #expect(options.scanDate != nil)
        #expect(FindingPreparation.prepare([withDate, plain], options: options, dedupe: .hashCode(), now: Self.now).map(\.date)
            == ["2024-05-01", "2024-05-01"])
    }
}
