import BulwarkServices
import Plot

/// `/finding/{id}/edit`: the finding's text fields, with field errors beside the fields and the input kept.
enum FindingEditPage {
    struct Model: Sendable, Equatable {
        var id: Int
        var edit: FindingEdit
        var errors: [String: [String]]
        var csrfToken: String
    }

    enum View {
        static func content(_ model: Model) -> Node<Body> {
            let e = model.edit, errors = model.errors
            return .group(
                Components.breadcrumbs([("Findings", Links.findings), ("Finding \(model.id)", Links.finding(model.id)), ("Edit", Links.findingAction(model.id, "edit"))]),
                Components.heading("Edit finding \(model.id)"),
                .when(!errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("Please correct the errors below."))),
                Components.postForm(Links.findingAction(model.id, "edit"), csrf: model.csrfToken, className: "card", [
                    Components.textField("title", label: "Title", value: e.title, errors: errors["title"] ?? [], required: true),
                    Components.select("severity", label: "Severity", options: Components.severities.map { ($0, $0) }, selected: [e.severity],
                                      errors: errors["severity"] ?? [], required: true),
                    Components.textArea("description", label: "Description", value: e.description, errors: errors["description"] ?? [], required: true),
                    Components.textArea("mitigation", label: "Mitigation", value: e.mitigation),
                    Components.textArea("impact", label: "Impact", value: e.impact),
                    Components.textArea("references", label: "References", value: e.references),
                    Components.textField("component_name", label: "Component", value: e.componentName),
                    Components.textField("component_version", label: "Component version", value: e.componentVersion),
                    Components.textField("file_path", label: "File path", value: e.filePath),
                    Components.textField("line", label: "Line", value: e.line, errors: errors["line"] ?? []),
                    Components.textField("cwe", label: "CWE", value: e.cwe, errors: errors["cwe"] ?? []),
                    Components.submit("Save"),
                ]))
        }

        /// The edit from a submitted form.
        static func edit(from form: FormData) -> FindingEdit {
            FindingEdit(title: form["title"] ?? "", severity: form["severity"] ?? "", description: form["description"] ?? "",
                        mitigation: form["mitigation"] ?? "", impact: form["impact"] ?? "", references: form["references"] ?? "",
                        componentName: form["component_name"] ?? "", componentVersion: form["component_version"] ?? "",
                        filePath: form["file_path"] ?? "", line: form["line"] ?? "", cwe: form["cwe"] ?? "")
        }
    }
}
