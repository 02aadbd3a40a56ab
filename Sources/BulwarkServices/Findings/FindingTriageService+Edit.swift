import BulwarkCore
import BulwarkStorage
import Foundation
import SQLKit

/// The editable text fields of a finding (the page's edit form).
public struct FindingEdit: Sendable, Equatable {
    public var title: String
    public var severity: String
    public var description: String
    public var mitigation: String
    public var impact: String
    public var references: String
    public var componentName: String
    public var componentVersion: String
    public var filePath: String
    public var line: String
    public var cwe: String

    public init(title: String, severity: String, description: String, mitigation: String = "", impact: String = "", references: String = "",
                componentName: String = "", componentVersion: String = "", filePath: String = "", line: String = "", cwe: String = "") {
        self.title = title
        self.severity = severity
        self.description = description
        self.mitigation = mitigation
        self.impact = impact
        self.references = references
        self.componentName = componentName
        self.componentVersion = componentVersion
        self.filePath = filePath
        self.line = line
        self.cwe = cwe
    }

    /// Field errors in DefectDojo's words; empty when the edit is acceptable.
    public func problems() -> [String: [String]] {
        var errors: [String: [String]] = [:]
        if title.trimmingCharacters(in: .whitespaces).isEmpty { errors["title", default: []].append("This field may not be blank.") }
        if title.count > 511 { errors["title", default: []].append("Ensure this field has no more than 511 characters.") }
        if Severity(rawValue: severity) == nil { errors["severity", default: []].append(Severity.invalidMessage) }
        if description.trimmingCharacters(in: .whitespaces).isEmpty { errors["description", default: []].append("This field may not be blank.") }
        if !line.isEmpty, Int(line) == nil { errors["line", default: []].append("A valid integer is required.") }
        if !cwe.isEmpty, Int(cwe) == nil { errors["cwe", default: []].append("A valid integer is required.") }
        return errors
    }
}

/// A refused edit with its field errors.
public struct FindingEditError: Error, Sendable, Equatable {
    public var fields: [String: [String]]
}

extension FindingTriageService {
    /// Saves an edit after checking the product scope and the field rules (``FindingEditError``).
    public func edit(_ id: Int, _ edit: FindingEdit) async throws {
        try await require(id, write: true)
        let problems = edit.problems()
        guard problems.isEmpty else { throw FindingEditError(fields: problems) }
        func text(_ value: String) -> SQLQueryString { value.isEmpty ? "NULL" : "\(bind: value)" }
        func number(_ value: String) -> SQLQueryString { Int(value).map { "\(bind: $0)" } ?? "NULL" }
        let query: SQLQueryString = """
            UPDATE findings SET title = \(bind: edit.title), severity = \(bind: edit.severity),
              numerical_severity = \(bind: Severity.numericalSeverity(for: edit.severity)), description = \(bind: edit.description),
              mitigation =
            """ + text(edit.mitigation) + ", impact = " + text(edit.impact) + ", \(ident: "references") = " + text(edit.references)
            + ", component_name = " + text(edit.componentName) + ", component_version = " + text(edit.componentVersion)
            + ", file_path = " + text(edit.filePath) + ", line = " + number(edit.line) + ", cwe = " + number(edit.cwe)
            + ", updated = \(bind: now) WHERE id = \(bind: id)"
        try await audited(id, action: "update") { sql in try await sql.raw(query).run() }
    }
}
