@testable import BulwarkServices
import BulwarkCore
import BulwarkStorage
import Foundation
import Testing

extension ReimportMatcherTests {
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
}
