import BulwarkCore
import Foundation

/// A finding already in the test being reimported, as matching needs it.
public struct ExistingFinding: Sendable, Equatable {
    public var id: Int
    public var hashCode: String?
    public var uniqueID: String?
    public var title: String
    public var severity: String
    public var active: Bool
    public var isMitigated: Bool
    public var hasMitigatedDate: Bool
    public var falsePositive: Bool
    public var outOfScope: Bool
    public var riskAccepted: Bool
    public var fixAvailable: Bool?
    public var fixVersion: String?
    public var componentName: String?
    public var componentVersion: String?

    public init(id: Int, hashCode: String?, uniqueID: String?, title: String, severity: String, active: Bool, isMitigated: Bool,
                hasMitigatedDate: Bool = false, falsePositive: Bool = false, outOfScope: Bool = false, riskAccepted: Bool = false,
                fixAvailable: Bool? = nil, fixVersion: String? = nil, componentName: String? = nil, componentVersion: String? = nil) {
        self.id = id
        self.hashCode = hashCode
        self.uniqueID = uniqueID
        self.title = title
        self.severity = severity
        self.active = active
        self.isMitigated = isMitigated
        self.hasMitigatedDate = hasMitigatedDate
        self.falsePositive = falsePositive
        self.outOfScope = outOfScope
        self.riskAccepted = riskAccepted
        self.fixAvailable = fixAvailable
        self.fixVersion = fixVersion
        self.componentName = componentName
        self.componentVersion = componentVersion
    }
}

/// What reimport will do, decided before anything is written (import-semantics §3.5).
public struct ReimportPlan: Sendable, Equatable {
    /// Incoming findings (indexes) to create.
    public var create: [Int] = []
    /// Existing findings left as they are.
    public var untouched: [Int] = []
    /// Existing mitigated findings reopened, with the incoming finding that reopened them.
    public var reactivate: [Pair] = []
    /// Existing open findings the report says are mitigated.
    public var closeAsReported: [Pair] = []
    /// Existing open findings that take the report's false positive / out of scope / risk accepted flags.
    public var copyStatus: [Pair] = []
    /// Existing mitigated findings not reopened because of `do_not_reactivate`.
    public var skippedReactivation: [Int] = []
    /// Matched findings whose `fix_available`/`fix_version` change, or whose empty component fields get filled.
    public var refresh: [Pair] = []
    /// Every match, for vulnerability id and endpoint updates.
    public var matched: [Pair] = []
    /// Existing findings to close (when `close_old_findings`): the original set minus reactivated and untouched.
    public var toMitigate: [Int] = []

    /// An existing finding id and the index of the incoming finding matched to it.
    public struct Pair: Sendable, Equatable {
        public var existing: Int
        public var incoming: Int
        public init(existing: Int, incoming: Int) {
            self.existing = existing
            self.incoming = incoming
        }
    }

    /// An empty plan.
    public init() {}
}

/// Matches incoming findings against the test's findings with its dedupe algorithm. Pure.
public enum ReimportMatcher {
    public static func plan(existing: [ExistingFinding], incoming: [PreparedFinding], algorithm: DedupeAlgorithm, doNotReactivate: Bool) -> ReimportPlan {
        var plan = ReimportPlan()
        var byHash: [String: [Int]] = [:], byUID: [String: [Int]] = [:], byTitle: [String: [Int]] = [:]
        var records: [Int: ExistingFinding] = [:]
        func index(_ finding: ExistingFinding) {
            records[finding.id] = finding
            if let hash = finding.hashCode { byHash[hash, default: []].append(finding.id) }
            if let uid = finding.uniqueID { byUID[uid, default: []].append(finding.id) }
            byTitle[finding.title.lowercased() + "\u{1F}" + finding.severity, default: []].append(finding.id)
        }
        for finding in existing.sorted(by: { $0.id < $1.id }) { index(finding) }
        var untouched = Set<Int>(), reactivated = Set<Int>()
        // Each existing finding answers one incoming finding first: when a report holds the same finding twice
        // (same hash), the second copy matches the second stored one, so an identical reimport closes nothing.
        var claimed = Set<Int>()
        // Findings created by this report join the pool under negative ids, so later repeats match them.
        var nextPending = -1
        for (position, prepared) in incoming.enumerated() {
            let n = prepared.finding
            var candidates: [Int]
            switch algorithm {
            case .hashCode: candidates = byHash[prepared.hashCode] ?? []
            case .uniqueIDFromTool: candidates = n.uniqueIDFromTool.flatMap { byUID[$0] } ?? []
            case .uniqueIDFromToolOrHashCode:
                candidates = Array(Set((byHash[prepared.hashCode] ?? []) + (n.uniqueIDFromTool.flatMap { byUID[$0] } ?? [])))
            case .legacy: candidates = byTitle[n.title.lowercased() + "\u{1F}" + n.severity.rawValue] ?? []
            }
            // Oldest first; pending (negative) ids are newer than any stored finding.
            candidates.sort { ($0 < 0 ? Int.max + $0 : $0) < ($1 < 0 ? Int.max + $1 : $1) }
            guard let matchID = candidates.first(where: { !claimed.contains($0) }) ?? candidates.first, let e = records[matchID] else {
                plan.create.append(position)
                index(ExistingFinding(id: nextPending, hashCode: prepared.hashCode, uniqueID: n.uniqueIDFromTool, title: n.title,
                                      severity: n.severity.rawValue, active: n.active, isMitigated: n.isMitigated))
                nextPending -= 1
                continue
            }
            claimed.insert(matchID)
            guard matchID > 0 else { continue }  // a repeat of something this report already creates
            let pair = ReimportPlan.Pair(existing: matchID, incoming: position)
            plan.matched.append(pair)
            if e.falsePositive || e.outOfScope || e.riskAccepted {
                // Row 1: nothing on E changes.
                if e.falsePositive == n.falsePositive && e.outOfScope == n.outOfScope && e.riskAccepted == n.riskAccepted {
                    untouched.insert(matchID)
                } else if e.riskAccepted && !e.active {
                    untouched.insert(matchID)
                }
                // Otherwise DefectDojo leaves it unmarked, so close_old_findings may close it.
                continue
            }
            if e.fixAvailable != n.fixAvailable || e.fixVersion != n.fixVersion
                || (e.componentName == nil && n.componentName != nil) || (e.componentVersion == nil && n.componentVersion != nil) {
                plan.refresh.append(pair)
                records[matchID]?.fixAvailable = n.fixAvailable
                records[matchID]?.fixVersion = n.fixVersion
                records[matchID]?.componentName = e.componentName ?? n.componentName
                records[matchID]?.componentVersion = e.componentVersion ?? n.componentVersion
            }
            if e.isMitigated {
                if n.isMitigated {
                    untouched.insert(matchID)
                } else if doNotReactivate {
                    if !plan.skippedReactivation.contains(matchID) { plan.skippedReactivation.append(matchID) }
                } else {
                    plan.reactivate.append(pair)
                    reactivated.insert(matchID)
                    // A later copy in the same report now finds it open.
                    records[matchID]?.isMitigated = false
                    records[matchID]?.hasMitigatedDate = false
                    records[matchID]?.active = true
                }
                continue
            }
            if n.isMitigated {
                plan.closeAsReported.append(pair)
                records[matchID]?.isMitigated = true
                records[matchID]?.active = false
            } else if n.riskAccepted || n.falsePositive || n.outOfScope {
                plan.copyStatus.append(pair)
                records[matchID]?.riskAccepted = n.riskAccepted
                records[matchID]?.falsePositive = n.falsePositive
                records[matchID]?.outOfScope = n.outOfScope
                records[matchID]?.active = false
            } else {
                untouched.insert(matchID)
            }
        }
        let original = Set(existing.map(\.id))
        plan.toMitigate = original.subtracting(reactivated).subtracting(untouched).sorted()
        plan.untouched = untouched.subtracting(plan.toMitigate).subtracting(reactivated).sorted()
        return plan
    }
}
