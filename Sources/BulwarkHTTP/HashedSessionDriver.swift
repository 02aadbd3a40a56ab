import BulwarkCore
import Fluent
import Foundation
import Vapor

/// Vapor sessions stored in the database under the SHA-256 of their id, so a copy of the
/// `_fluent_sessions` table alone cannot be replayed as logged-in cookies.
///
/// Session ids are 32 random bytes: an unsalted digest is enough, since there is nothing to
/// guess. Sessions stored in plain text by earlier releases simply no longer match (their users
/// log in again).
public struct HashedSessionDriver: AsyncSessionDriver {
    public init() {}

    /// The stored key for a session id.
    public static func storedKey(for id: SessionID) -> SessionID {
        SessionID(string: SHA256Digest.hexDigest(Array(id.string.utf8)))
    }

    public func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let id = SessionID(string: Data(bytes).base64EncodedString())
        // Vapor creates a session for every request whose cookie names none it knows; storing those
        // empty sessions would let anonymous clients add a row per request. Only sessions with data
        // (a login) are stored.
        guard !data.snapshot.isEmpty else { return id }
        try await SessionRecord(key: Self.storedKey(for: id), data: data).create(on: request.db)
        return id
    }

    public func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.storedKey(for: sessionID)).first()?.data
    }

    public func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.storedKey(for: sessionID)).set(\.$data, to: data).update()
        return sessionID
    }

    public func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await SessionRecord.query(on: request.db).filter(\.$key == Self.storedKey(for: sessionID)).delete()
    }
}

extension Request {
    /// Gives the logged-in session a new id (login and logout), so an id planted before login
    /// (session fixation) is worth nothing afterwards. The old record is deleted.
    public func rotateSession() async throws {
        guard hasSession else { return }
        if let id = session.id {
            try await application.sessions.driver.deleteSession(id, for: self).get()
        }
        session.id = nil
    }
}
