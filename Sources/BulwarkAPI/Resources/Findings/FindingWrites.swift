import BulwarkCore
import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit
import Vapor

/// DefectDojo's finding write rules: severity and CVSS validation, status consistency,
/// derived columns, and the related rows stored with a finding.
enum FindingWrites {
    /// The product of a test (findings copy it for fast product-scoped queries).
    static func productOfTest(_ test: Int, db: any SQLDatabase) async throws -> Int? {
        try await testContext(test, db: db)?.product
    }

    static func testContext(_ test: Int, db: any SQLDatabase) async throws -> (engagement: Int, product: Int)? {
        guard let row = try await db.raw("""
            SELECT \(ident: "t").\(ident: "engagement_id") AS \(ident: "engagement"), \(ident: "e").\(ident: "product_id") AS \(ident: "product")
            FROM \(ident: "tests") \(ident: "t") JOIN \(ident: "engagements") \(ident: "e") ON \(ident: "e").\(ident: "id") = \(ident: "t").\(ident: "engagement_id")
            WHERE \(ident: "t").\(ident: "id") = \(bind: test)
            """).first()
        else { return nil }
        return (try row.decode(column: "engagement", as: Int.self), try row.decode(column: "product", as: Int.self))
    }

    /// Current flags of a finding, for checks on PATCH.
    static func currentState(_ id: Int, db: any SQLDatabase) async throws -> [String: JSONValue] {
        guard let row = try await db.raw("""
            SELECT active, verified, false_p, duplicate, risk_accepted, is_mitigated, product_id, mitigated FROM findings WHERE id = \(bind: id)
            """).first()
        else { return [:] }
        var state: [String: JSONValue] = [:]
        for name in ["active", "verified", "false_p", "duplicate", "risk_accepted", "is_mitigated"] {
            state[name] = .bool(try row.decode(column: name, as: Bool.self))
        }
        state["product"] = .int(try row.decode(column: "product_id", as: Int.self))
        state["has_mitigated"] = .bool(try row.decode(column: "mitigated", as: Date?.self) != nil)
        return state
    }

    static let prepare: @Sendable (ResourceContext, WriteMode, Int?, inout ValidatedInput) async throws -> Void = { context, mode, id, input in
        var errors = ValidationErrors()
        let current = id == nil ? [:] : try await currentState(id!, db: context.db)
        func flag(_ name: String) -> Bool { (input.values[name] ?? current[name])?.boolValue ?? false }

        if case .string(let severity)? = input.values["severity"] {
            if Severity(rawValue: severity) == nil { errors.add("severity", Severity.invalidMessage) }
            input.set("numerical_severity", .string(Severity.numericalSeverity(for: severity)))
        } else if mode == .create {
            input.set("numerical_severity", .string("S5"))
        } else {
            input.remove("numerical_severity")
        }
        if case .string(let vector)? = input.values["cvssv3"], !vector.isEmpty {
            if let cvss = CVSS3(vector: vector) { input.set("cvssv3_score", .double(cvss.baseScore)) } else { errors.add("cvssv3", CVSS3.invalidMessage) }
        }
        // DefectDojo refuses edits of the mitigation stamp unless DD_EDITABLE_MITIGATED_DATA is on (it is not here).
        for name in ["mitigated", "mitigated_by"] where input.values[name].map({ !$0.isNull }) == true {
            errors.add(name, "Editing mitigated timestamp is disabled (DD_EDITABLE_MITIGATED_DATA setting is not enabled)")
        }
        if flag("duplicate") && (flag("active") || flag("verified")) {
            errors.add("non_field_errors", "Duplicate findings cannot be verified or active")
        }
        if flag("false_p") && flag("verified") { errors.add("non_field_errors", "False positive findings cannot be verified.") }
        if flag("active") && flag("risk_accepted") { errors.add("non_field_errors", "Active findings cannot be risk accepted.") }

        var product = current["product"]?.intValue
        if mode == .create, case .int(let test)? = input.values["test"] {
            if let context = try await testContext(test, db: context.db) {
                input.set("engagement_id", .int(context.engagement))
                input.set("product_id", .int(context.product))
                product = context.product
            }
        }
        // Endpoints belong to one product: another product's endpoint is answered as if it did not exist.
        if case .array(let items)? = input.values["endpoints"], let product {
            let wanted = items.compactMap(\.intValue)
            if !wanted.isEmpty {
                let own = Set(try await context.db.raw(
                    "SELECT id FROM endpoints WHERE product_id = \(bind: product) AND id IN (\(binds: wanted))").all().map { try $0.decode(column: "id", as: Int.self) })
                if let foreign = wanted.first(where: { !own.contains($0) }) {
                    errors.add("endpoints", "Invalid pk \"\(foreign)\" - object does not exist.")
                }
            }
        }
        if input.values["risk_accepted"]?.boolValue == true, current["risk_accepted"]?.boolValue != true, let product,
           try await !simpleRiskAcceptanceEnabled(product: product, db: context.db) {
            errors.add("non_field_errors", "Simple risk acceptance is disabled for this product, use the UI to accept this finding.")
        }
        if case .array(let items)? = input.values["vulnerability_ids"] {
            for item in items where vulnerabilityID(item) == nil {
                errors.add("vulnerability_ids", "Expected {\"vulnerability_id\": \"…\"} but got \(item.serializedString()).")
            }
        } else if let value = input.values["vulnerability_ids"], !value.isNull {
            errors.add("vulnerability_ids", "Expected a list of items but got type \"\(FieldConversion.typeName(value))\".")
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }

        if mode == .create {
            if input.values["reporter"] == nil { input.set("reporter_id", .int(context.user.id)) }
            if input.values["date"] == nil { input.set("date", .string(DateFormatting.day(context.now))) }
            input.set("thread_id", .int(0))
            input.set("last_status_update", .date(context.now))
        }
        // Closing by flag stamps who and when, as DefectDojo does; reopening clears it.
        if case .bool(let mitigated)? = input.values["is_mitigated"], mitigated != current["is_mitigated"]?.boolValue {
            input.set("mitigated", mitigated ? .date(context.now) : .null)
            input.set("mitigated_by_id", mitigated ? .int(context.user.id) : .null)
            input.set("last_status_update", .date(context.now))
        } else {
            input.remove("mitigated")
            input.remove("mitigated_by_id")
        }
        for name in ["active", "verified", "false_p", "out_of_scope", "risk_accepted", "duplicate"]
        where input.values[name] != nil && input.values[name] != current[name] && mode != .create {
            input.set("last_status_update", .date(context.now))
        }
    }

    static let afterWrite: @Sendable (ResourceContext, WriteMode, Int, ValidatedInput) async throws -> Void = { context, _, id, input in
        if case .array(let items)? = input.values["vulnerability_ids"] {
            try await FindingRelationWrites.replaceVulnerabilityIDs(finding: id, with: items.compactMap(vulnerabilityID), db: context.db)
        }
        try await FindingRelationWrites.dateNewEndpointLinks(finding: id, now: context.now, db: context.db)
    }

    /// Accepts `{"vulnerability_id": "CVE-…"}` objects (and bare strings, leniently).
    static func vulnerabilityID(_ item: JSONValue) -> String? {
        switch item {
        case .string(let s): return s.isEmpty ? nil : s
        case .object: return item["vulnerability_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        default: return nil
        }
    }

    static func simpleRiskAcceptanceEnabled(product: Int, db: any SQLDatabase) async throws -> Bool {
        let row = try await db.raw("SELECT enable_simple_risk_acceptance FROM products WHERE id = \(bind: product)").first()
        return try row?.decode(column: "enable_simple_risk_acceptance", as: Bool.self) ?? false
    }
}
