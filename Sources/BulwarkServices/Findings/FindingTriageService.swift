import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// A triage rule that refused a change, with DefectDojo's wording.
public enum TriageError: Error, Sendable, Equatable {
    /// A status rule ("False positive findings cannot be verified.").
    case refused(String)
    /// `duplicate/reset` on a finding that is not a duplicate.
    case notDuplicate
    /// Removing a tag the finding does not carry.
    case unknownTag(String)
    /// Full risk acceptance is turned off for the finding's product.
    case riskAcceptanceDisabled

    /// The message shown to the user.
    public var message: String {
        switch self {
        case .refused(let message): return message
        case .notDuplicate: return "Finding is not a duplicate"
        case .unknownTag(let tag): return "'\(tag)' is not a valid tag in list"
        case .riskAcceptanceDisabled: return "Risk acceptance is disabled for this product."
        }
    }
}

/// How a finding is closed (DefectDojo's `FindingCloseSerializer`).
public struct CloseRequest: Sendable, Equatable {
    public var isMitigated = true
    public var falsePositive = false
    public var outOfScope = false
    public var duplicate = false
    public var note: NewNote?
    public init(isMitigated: Bool = true, falsePositive: Bool = false, outOfScope: Bool = false, duplicate: Bool = false, note: NewNote? = nil) {
        self.isMitigated = isMitigated
        self.falsePositive = falsePositive
        self.outOfScope = outOfScope
        self.duplicate = duplicate
        self.note = note
    }
}

/// A risk acceptance made from findings: the reason, who accepted, and when it expires.
public struct RiskAcceptanceRequest: Sendable, Equatable {
    public var name: String
    public var reason: String
    public var acceptedBy: String?
    public var expiration: Date?
    public var reactivateExpired = true
    public init(name: String, reason: String, acceptedBy: String? = nil, expiration: Date? = nil, reactivateExpired: Bool = true) {
        self.name = name
        self.reason = reason
        self.acceptedBy = acceptedBy
        self.expiration = expiration
        self.reactivateExpired = reactivateExpired
    }
}

/// Finding triage for every adapter: close and reopen, verify, false positive, out of scope, risk
/// acceptance, tags, duplicates and notes. Each call checks the product scope first
/// (``AccessError``), applies DefectDojo's status rules (``TriageError``) and writes in one transaction.
public struct FindingTriageService: Sendable {
    public let database: any Database
    public let user: UserAccount
    public let now: Date

    public init(database: any Database, user: UserAccount, now: Date = Date()) {
        self.database = database
        self.user = user
        self.now = now
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw StorageError(.constraint, "database driver is not SQL") }
            return sql
        }
    }

    /// Checks that the user sees finding `id` (404) and, for `write`, may change it (403).
    public func require(_ id: Int, write: Bool) async throws {
        try await AccessPolicy(user: user, db: try sql).require(.findings, id: id, write: write)
    }

    /// The flags the status rules look at.
    public func flags(_ id: Int) async throws -> FindingFlags {
        guard let row = try await sql.raw("""
            SELECT active, verified, false_p, duplicate, risk_accepted, is_mitigated, out_of_scope, under_review, mitigated
            FROM findings WHERE id = \(bind: id)
            """).first()
        else { throw AccessError.notFound }
        var flags = FindingFlags()
        flags.active = try row.decode(column: "active", as: Bool.self)
        flags.verified = try row.decode(column: "verified", as: Bool.self)
        flags.falsePositive = try row.decode(column: "false_p", as: Bool.self)
        flags.duplicate = try row.decode(column: "duplicate", as: Bool.self)
        flags.riskAccepted = try row.decode(column: "risk_accepted", as: Bool.self)
        flags.isMitigated = try row.decode(column: "is_mitigated", as: Bool.self)
        flags.outOfScope = try row.decode(column: "out_of_scope", as: Bool.self)
        flags.underReview = try row.decode(column: "under_review", as: Bool.self)
        flags.hasMitigatedDate = try row.decode(column: "mitigated", as: Date?.self) != nil
        return flags
    }

    /// Closes a finding: inactive and mitigated now by the user, with optional status flags and a note.
    public func close(_ id: Int, _ request: CloseRequest) async throws {
        try await require(id, write: true)
        let now = self.now, user = self.user
        try await audited(id, action: "close") { sql in
            try await sql.raw("""
                UPDATE findings SET active = \(bind: false), is_mitigated = \(bind: request.isMitigated), mitigated = \(bind: now),
                  mitigated_by_id = \(bind: user.id), false_p = \(bind: request.falsePositive), out_of_scope = \(bind: request.outOfScope),
                  duplicate = \(bind: request.duplicate), last_status_update = \(bind: now), updated = \(bind: now)
                WHERE id = \(bind: id)
                """).run()
            try await sql.raw("""
                UPDATE endpoint_status SET mitigated = \(bind: true), mitigated_time = \(bind: now), mitigated_by_id = \(bind: user.id),
                  last_modified = \(bind: now) WHERE finding_id = \(bind: id)
                """).run()
            if let note = request.note, !note.entry.isEmpty {
                try await NoteService(db: sql).add(objectType: "finding", objectID: id, entry: note.entry, author: user.id,
                                                   isPrivate: note.isPrivate, noteType: note.noteType, now: now)
            }
        }
    }

    /// Reopens a closed, false-positive or out-of-scope finding: active again, mitigation cleared.
    public func reopen(_ id: Int) async throws {
        try await require(id, write: true)
        if try await flags(id).duplicate { throw TriageError.refused("Duplicate findings cannot be verified or active") }
        let now = self.now
        try await audited(id, action: "reopen") { sql in
            try await sql.raw("""
                UPDATE findings SET active = \(bind: true), is_mitigated = \(bind: false), mitigated = NULL, mitigated_by_id = NULL,
                  false_p = \(bind: false), out_of_scope = \(bind: false), last_status_update = \(bind: now), updated = \(bind: now)
                WHERE id = \(bind: id)
                """).run()
            try await sql.raw("""
                UPDATE endpoint_status SET mitigated = \(bind: false), mitigated_time = NULL, mitigated_by_id = NULL, last_modified = \(bind: now)
                WHERE finding_id = \(bind: id)
                """).run()
        }
    }

    /// Marks a finding verified; false positives and duplicates cannot be.
    public func verify(_ id: Int) async throws {
        try await require(id, write: true)
        let flags = try await flags(id)
        if flags.falsePositive { throw TriageError.refused("False positive findings cannot be verified.") }
        if flags.duplicate { throw TriageError.refused("Duplicate findings cannot be verified or active") }
        let now = self.now
        try await audited(id, action: "verify") { sql in
            try await sql.raw("UPDATE findings SET verified = \(bind: true), last_status_update = \(bind: now) WHERE id = \(bind: id)").run()
        }
    }

    /// Marks a finding a false positive: inactive and unverified.
    public func markFalsePositive(_ id: Int) async throws {
        try await require(id, write: true)
        let now = self.now
        try await audited(id, action: "false_positive") { sql in
            try await sql.raw("""
                UPDATE findings SET false_p = \(bind: true), active = \(bind: false), verified = \(bind: false),
                  last_status_update = \(bind: now), updated = \(bind: now) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Marks a finding out of scope: inactive.
    public func markOutOfScope(_ id: Int) async throws {
        try await require(id, write: true)
        let now = self.now
        try await audited(id, action: "out_of_scope") { sql in
            try await sql.raw("""
                UPDATE findings SET out_of_scope = \(bind: true), active = \(bind: false), last_status_update = \(bind: now), updated = \(bind: now)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Makes a duplicate an active original again (inactive when it is mitigated).
    public func resetDuplicate(_ id: Int) async throws {
        try await require(id, write: true)
        guard try await flags(id).duplicate else { throw TriageError.notDuplicate }
        let now = self.now
        try await audited(id, action: "reset_duplicate") { sql in
            try await sql.raw("""
                UPDATE findings SET duplicate = \(bind: false), duplicate_finding_id = NULL,
                  active = CASE WHEN is_mitigated THEN \(bind: false) ELSE \(bind: true) END, last_status_update = \(bind: now)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// The finding's tags, in storage order.
    public func tags(_ id: Int) async throws -> [String] {
        try await TagStore(db: try sql).tagsByObject(objectType: "finding", ids: [id])[id] ?? []
    }

    /// Adds tags to a finding (present ones are kept once).
    public func addTags(_ id: Int, _ names: [String]) async throws {
        try await require(id, write: true)
        try await TagStore(db: try sql).add(objectType: "finding", id: id, names: names)
    }

    /// Removes tags from a finding; every tag must be present (``TriageError/unknownTag(_:)``).
    public func removeTags(_ id: Int, _ names: [String]) async throws {
        try await require(id, write: true)
        let present = Set(try await tags(id))
        if let missing = names.first(where: { !present.contains($0) }) { throw TriageError.unknownTag(missing) }
        try await TagStore(db: try sql).remove(objectType: "finding", id: id, names: names)
    }

    /// Adds a note to a finding the user may change.
    @discardableResult
    public func addNote(_ id: Int, _ note: NewNote) async throws -> Int {
        try await require(id, write: true)
        let user = self.user, now = self.now
        return try await WriteTransaction.run(on: database) { sql in
            try await NoteService(db: sql).add(note, objectType: "finding", objectID: id, author: user.id, now: now)
        }
    }

    /// Removes a note from a finding (its author or a superuser only).
    public func removeNote(_ id: Int, noteID: Int) async throws {
        try await require(id, write: true)
        try await NoteService(db: try sql).removeFromFinding(noteID: noteID, finding: id, by: user)
    }
}
