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
        return try await transaction("reimport", options: options) { db in
            try await Self.reimportOrImport(db: db, options: options, descriptor: descriptor, result: result, prepared: prepared, user: user, now: now)
        }
    }
}
