@testable import BulwarkServices
import BulwarkCore
import BulwarkStorage
import Foundation
import Testing

extension ReimportMatcherTests {
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
