import BulwarkCore
import BulwarkParsers
import BulwarkStorage
import FluentKit
import Foundation
import SQLKit

/// Reimport of findings that did not come from a report file (connector syncs): the same context
/// resolution, matching, closing, history and transaction as `reimport-scan`, minus the parsing.
extension ImportService {
    /// Reimports `findings` as if they had been parsed from a report of `scanType` with `dedupe`.
    /// Creates the engagement and test on first use when `options.autoCreateContext` is set.
    public func reimportFindings(_ findings: [Finding], scanType: ScanType, dedupe: DedupeConfiguration, label: String,
                                 options: ImportOptions) async throws -> ImportOutcome {
        let descriptor = ParserDescriptor(scanType: scanType, label: label, summary: label, version: 1, dedupe: dedupe, requiresFile: false)
        let result = ParseResult(findings: findings, isStaticTool: true, isDynamicTool: false)
        let prepared = FindingPreparation.prepare(findings, options: options, dedupe: dedupe, now: now)
        let user = self.user, now = self.now
        let outcome = try await WriteTransaction.run(on: database) { db -> ImportOutcome in
            try await ImportSerialization.lockTarget(of: options, db: db)
            let outcome = try await reimportBody(db)
            try await Self.audit(outcome, action: "reimport", scanType: options.scanType, user: user, now: now, db: db)
            return outcome
        }
        return outcome
        @Sendable func reimportBody(_ db: any SQLDatabase) async throws -> ImportOutcome {
            guard let context = try await ImportContextResolver(db: db, user: user, now: now).resolveForReimport(options), let test = context.test else {
                guard options.autoCreateContext else { throw ImportError.notFound("A test could not be found!") }
                var fallback = options
                fallback.closeOldFindings = false
                return try await Self.importInto(db: db, options: fallback, descriptor: descriptor, result: result, prepared: prepared,
                                                 user: user, now: now)
            }
            return try await Self.reimport(into: test, context: context, db: db, options: options, descriptor: descriptor, prepared: prepared,
                                           user: user, now: now)
        }
    }
}
