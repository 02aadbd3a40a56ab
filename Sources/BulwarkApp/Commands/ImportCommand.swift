import BulwarkAPI
import BulwarkParsers
import BulwarkServices
import BulwarkStorage
import Fluent
import Foundation
import SQLKit
import Vapor

/// `bulwark import FILE --scan-type TYPE …`: imports (or with `--reimport`, reimports) a report
/// into the database with the same semantics as the API, for offline use and benchmarks.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The report file") var file: String
        @Option(name: "scan-type", help: "DefectDojo scan type, e.g. \"ZAP Scan\" (see `bulwark parsers`)") var scanType: String?
        @Flag(name: "reimport", help: "Reimport into an existing test instead of creating one") var reimport: Bool
        @Option(name: "engagement", help: "Engagement id (import)") var engagement: String?
        @Option(name: "test", help: "Test id (reimport)") var test: String?
        @Option(name: "product-type-name", help: "Product type name") var productTypeName: String?
        @Option(name: "product-name", help: "Product name") var productName: String?
        @Option(name: "engagement-name", help: "Engagement name") var engagementName: String?
        @Option(name: "test-title", help: "Test title") var testTitle: String?
        @Flag(name: "auto-create-context", help: "Create the product type, product and engagement when missing") var autoCreateContext: Bool
        @Option(name: "minimum-severity", help: "Info, Low, Medium, High or Critical") var minimumSeverity: String?
        @Option(name: "scan-date", help: "YYYY-MM-DD") var scanDate: String?
        @Option(name: "close-old-findings", help: "true or false") var closeOldFindings: String?
        @Option(name: "user", help: "Acting user (default: the first superuser)") var user: String?
    }

    var help: String { "Imports or reimports a scan report from a file, as the API would." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let scanType = signature.scanType else { throw CommandFailure("--scan-type is required (see `bulwark parsers`)") }
        guard FileManager.default.isReadableFile(atPath: signature.file) else { throw CommandFailure("Cannot read \(signature.file)") }
        var fields: [String: [String]] = ["scan_type": [scanType]]
        let pairs: [(String, String?)] = [
            ("engagement", signature.engagement), ("test", signature.test), ("product_type_name", signature.productTypeName),
            ("product_name", signature.productName), ("engagement_name", signature.engagementName), ("test_title", signature.testTitle),
            ("minimum_severity", signature.minimumSeverity), ("scan_date", signature.scanDate), ("close_old_findings", signature.closeOldFindings),
            ("auto_create_context", signature.autoCreateContext ? "true" : nil),
        ]
        for (name, value) in pairs { if let value { fields[name] = [value] } }
        let options: ImportOptions
        switch ImportOptions.parse(fields, reimport: signature.reimport, today: Date()) {
        case .success(let parsed): options = parsed
        case .failure(let errors): throw CommandFailure(errors.fields.map { "\($0.0): \($0.1.joined(separator: " "))" }.joined(separator: "; "))
        }
        let db = context.application.db
        guard let sql = db as? any SQLDatabase else { throw CommandFailure("database is not SQL") }
        let user = try await actingUser(signature.user, sql: sql)
        let url = URL(fileURLWithPath: signature.file)
        let report = ScanInput(fileURL: url, filename: url.lastPathComponent)
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: ImportOutcome
        do {
            outcome = signature.reimport
                ? try await ImportService(database: db, user: user).reimportScan(options, report: report)
                : try await ImportService(database: db, user: user).importScan(options, report: report)
        } catch let error as ImportError {
            throw CommandFailure(ImportScanController.apiError(error).body.serializedString())
        }
        let elapsed = clock.now - started
        context.console.print(ImportResponse.body(options: options, outcome: outcome, reimport: signature.reimport).serializedString())
        context.console.print("created \(outcome.created), closed \(outcome.closed), reactivated \(outcome.reactivated), untouched \(outcome.untouched), duplicates \(outcome.duplicates) in \(elapsed)")
    }

    func actingUser(_ name: String?, sql: any SQLDatabase) async throws -> UserAccount {
        let accounts = AccountService(db: sql, hasher: BcryptHasher(cost: 4))
        if let name {
            guard let user = try await accounts.user(username: name) else { throw CommandFailure("No user named \(name).") }
            return user
        }
        guard let row = try await sql.raw("SELECT id FROM users WHERE is_superuser = \(bind: true) ORDER BY id LIMIT 1").first(),
              let user = try await accounts.user(id: try row.decode(column: "id", as: Int.self))
        else { throw CommandFailure("No superuser exists; pass --user.") }
        return user
    }
}
