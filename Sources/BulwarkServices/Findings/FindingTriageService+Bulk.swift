import BulwarkStorage
import Foundation
import SQLKit

/// One triage action applied to many findings (the findings list's bulk form).
public enum BulkTriageAction: Sendable, Equatable {
    case close
    case verify
    case falsePositive
    case acceptRisk(RiskAcceptanceRequest)
    case addTags([String])
}

/// What a bulk action did: the findings changed, and those refused with the reason.
public struct BulkTriageOutcome: Sendable, Equatable {
    public var applied: [Int] = []
    public var refused: [(id: Int, reason: String)] = []

    public static func == (lhs: BulkTriageOutcome, rhs: BulkTriageOutcome) -> Bool {
        lhs.applied == rhs.applied && lhs.refused.map { $0.id } == rhs.refused.map { $0.id } && lhs.refused.map { $0.reason } == rhs.refused.map { $0.reason }
    }
}

extension FindingTriageService {
    /// Accepts the risk of findings: one acceptance per engagement (DefectDojo ties an acceptance to
    /// one engagement), the findings inactive and `risk_accepted` until it expires.
    /// - Returns: the ids of the acceptances created.
    @discardableResult
    public func acceptRisk(_ ids: [Int], _ request: RiskAcceptanceRequest) async throws -> [Int] {
        for id in ids { try await require(id, write: true) }
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT f.id, f.engagement_id, p.enable_full_risk_acceptance FROM findings f JOIN products p ON p.id = f.product_id
            WHERE f.id IN (\(binds: ids)) ORDER BY f.id
            """).all()
        var byEngagement: [Int: [Int]] = [:]
        for row in rows {
            guard try row.decode(column: "enable_full_risk_acceptance", as: Bool.self) else { throw TriageError.riskAcceptanceDisabled }
            byEngagement[try row.decode(column: "engagement_id", as: Int.self), default: []].append(try row.decode(column: "id", as: Int.self))
        }
        let user = self.user, now = self.now
        let groups = byEngagement.sorted(by: { $0.key < $1.key })
        return try await WriteTransaction.run(on: database) { sql in
            var created: [Int] = []
            for (engagement, findings) in groups {
                let expiration: SQLQueryString = request.expiration.map { "\(bind: $0)" } ?? "NULL"
                let insert: SQLQueryString = """
                    INSERT INTO risk_acceptances (name, recommendation, recommendation_details, decision, decision_details, accepted_by,
                      expiration_date, reactivate_expired, restart_sla_expired, owner_id, engagement_id, created, updated)
                    VALUES (\(bind: request.name), 'A', NULL, 'A', \(bind: request.reason), \(bind: request.acceptedBy ?? user.username),
                    """ + expiration + """
                    , \(bind: request.reactivateExpired), \(bind: false), \(bind: user.id), \(bind: engagement), \(bind: now), \(bind: now))
                    RETURNING id
                    """
                guard let row = try await sql.raw(insert).first()
                else { throw StorageError(.insertFailed, "risk acceptance for engagement \(engagement) was not created") }
                let acceptance = try row.decode(column: "id", as: Int.self)
                var before: [Int: JSONValue] = [:]
                for finding in findings {
                    before[finding] = try await Self.auditSnapshot(finding, db: sql)
                    try await sql.raw("INSERT INTO risk_acceptance_findings (risk_acceptance_id, finding_id) VALUES (\(bind: acceptance), \(bind: finding))").run()
                }
                try await RiskAcceptances.synchronise(acceptance: acceptance, previous: nil, db: sql, now: now)
                for finding in findings {
                    let after = try await Self.auditSnapshot(finding, db: sql)
                    try await AuditLog.record(db: sql, actor: user, action: "accept_risk", objectType: "finding", objectID: finding,
                                              objectName: after?["title"]?.stringValue, changes: AuditLog.changes(before: before[finding], after: after), now: now)
                }
                created.append(acceptance)
            }
            return created
        }
    }

    /// Applies one action to each finding the user may change; the others are reported, not fatal.
    public func bulk(_ action: BulkTriageAction, ids: [Int]) async throws -> BulkTriageOutcome {
        var outcome = BulkTriageOutcome()
        var accepted: [Int] = []
        for id in Array(Set(ids)).sorted() {
            do {
                switch action {
                case .close: try await close(id, CloseRequest())
                case .verify: try await verify(id)
                case .falsePositive: try await markFalsePositive(id)
                case .addTags(let names): try await addTags(id, names)
                case .acceptRisk:
                    try await require(id, write: true)
                    accepted.append(id)
                    continue
                }
                outcome.applied.append(id)
            } catch let error as TriageError {
                outcome.refused.append((id, error.message))
            } catch AccessError.notFound {
                outcome.refused.append((id, "Not found."))
            } catch AccessError.forbidden {
                outcome.refused.append((id, "You do not have permission to change this finding."))
            }
        }
        if case .acceptRisk(let request) = action, !accepted.isEmpty {
            do {
                try await acceptRisk(accepted, request)
                outcome.applied += accepted
            } catch let error as TriageError {
                outcome.refused += accepted.map { (id: $0, reason: error.message) }
            }
        }
        return outcome
    }
}
