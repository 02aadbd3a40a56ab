import BulwarkServices
import Plot

extension FindingDetail {
    /// The detail page's content: summary, triage actions, text sections, every field, endpoints, notes, history, duplicates.
    enum View {
        static func content(_ model: Model) -> Node<Body> {
            .group(
                Components.breadcrumbs([("Products", Links.products), (model.product.name, Links.product(model.product.id)),
                                        (model.engagement.name, Links.engagement(model.engagement.id)), (model.test.title, Links.test(model.test.id)),
                                        ("Finding \(model.id)", Links.finding(model.id))]),
                Components.heading(model.title, actions: model.canWrite ? [("Edit", Links.findingAction(model.id, "edit"))] : []),
                .p(Components.severity(model.severity), .txt(" "), .span(.attr("class", "status"), .txt(model.status))),
                tags(model),
                .when(model.canWrite, actions(model)),
                .section(.attr("aria-labelledby", "description-heading"),
                         .h2(.attr("id", "description-heading"), .txt("Description")), .pre(.txt(model.description))),
                .when(!model.mitigation.isEmpty, .section(.h2(.txt("Mitigation")), .pre(.txt(model.mitigation)))),
                .when(!model.impact.isEmpty, .section(.h2(.txt("Impact")), .pre(.txt(model.impact)))),
                .when(!model.references.isEmpty, .section(.h2(.txt("References")), .pre(.txt(model.references)))),
                .section(.attr("aria-labelledby", "fields-heading"),
                         .h2(.attr("id", "fields-heading"), .txt("Fields")), .box("card", Components.facts(model.fields))),
                .section(.h2(.txt("Endpoints")),
                         Components.table(caption: "Endpoints", headers: ["Endpoint", "Status"],
                                          rows: model.endpoints.map { [.el("code", .txt($0.url)), .txt($0.mitigated ? "Mitigated" : "Active")] },
                                          empty: "No endpoints.")),
                .section(.h2(.txt("Request and response")),
                         .p(.attr("class", "empty"), .txt("No request/response pairs are stored for this finding."))),
                notes(model),
                .section(.h2(.txt("History")),
                         Components.table(caption: "Imports that touched this finding", headers: ["Date", "Import", "Action", "Test"],
                                          rows: model.history.map { [.txt($0.date), .txt($0.kind), .txt($0.action), Components.link("Test \($0.test)", Links.test($0.test))] },
                                          empty: "No imports recorded for this finding.")),
                .section(.h2(.txt("Changes")),
                         Components.table(caption: "Who changed this finding", headers: ["Date", "By", "Action", "Changed"],
                                          rows: model.changes.map { change in
                                              [.txt(change.date), .txt(change.actor), .txt(change.action),
                                               .ul(.forEach(change.summary) { .li(.txt($0)) })]
                                          },
                                          empty: "No changes recorded for this finding.")),
                .section(.h2(.txt("Duplicates")),
                         Components.table(caption: "Findings in the same duplicate cluster", headers: ["Finding", "Role", "Status"],
                                          rows: model.duplicates.map { [Components.link("\($0.id): \($0.title)", Links.finding($0.id)),
                                                                        .txt($0.isOriginal ? "Original" : "Duplicate"), .txt($0.status)] },
                                          empty: "No duplicates."))
            )
        }

        static func tags(_ model: Model) -> Node<Body> {
            let chips: [Node<Body>] = model.tags.map { tag in
                model.canWrite
                    ? Components.postForm(Links.findingAction(model.id, "remove_tag"), csrf: model.csrfToken, className: "inline-form", [
                        .input(.attr("type", "hidden"), .attr("name", "tag"), .attr("value", tag)),
                        .span(.attr("class", "tag"), .txt(tag)),
                        .el("button", .attr("type", "submit"), .attr("class", "secondary"), .attr("aria-label", "Remove tag \(tag)"), .txt("×")),
                    ])
                    : .span(.attr("class", "tag"), .txt(tag))
            }
            return .section(.attr("aria-label", "Tags"), .when(!chips.isEmpty, .p(.all(chips))),
                            .when(model.canWrite, Components.postForm(Links.findingAction(model.id, "tags"), csrf: model.csrfToken, className: "inline-form", [
                                Components.textField("tags", label: "Add tags (comma separated)", value: ""), Components.submit("Add tags", className: "secondary"),
                            ])))
        }

        static func button(_ model: Model, _ action: String, _ label: String, className: String = "secondary") -> Node<Body> {
            Components.postForm(Links.findingAction(model.id, action), csrf: model.csrfToken, className: "inline-form", [Components.submit(label, className: className)])
        }

        static func actions(_ model: Model) -> Node<Body> {
            let flags = model.flags
            return .section(.attr("class", "card"), .attr("aria-labelledby", "actions-heading"),
                            .h2(.attr("id", "actions-heading"), .txt("Triage")),
                            .box("actions",
                                 .when(!flags.verified && !flags.falsePositive && !flags.duplicate, button(model, "verify", "Verify")),
                                 .when(!flags.active && !flags.duplicate, button(model, "reopen", "Reopen")),
                                 .when(!flags.falsePositive, button(model, "false_positive", "False positive")),
                                 .when(!flags.outOfScope, button(model, "out_of_scope", "Out of scope")),
                                 .when(flags.duplicate, button(model, "reset_duplicate", "Not a duplicate"))),
                            .when(flags.active, Components.postForm(Links.findingAction(model.id, "close"), csrf: model.csrfToken, [
                                Components.textArea("note", label: "Closing note (optional)", value: ""), Components.submit("Close finding", className: "danger"),
                            ])),
                            .when(!flags.riskAccepted, .el("details",
                                .el("summary", .txt("Accept risk")),
                                Components.postForm(Links.findingAction(model.id, "accept_risk"), csrf: model.csrfToken, [
                                    Components.textField("reason", label: "Reason", value: "", required: true),
                                    Components.textField("expiration", label: "Accepted until", value: "", type: "date"),
                                    Components.submit("Accept risk"),
                                ]))))
        }

        static func notes(_ model: Model) -> Node<Body> {
            let items: [Node<Body>] = model.notes.map { note in
                .el("li", .el("p", .el("strong", .txt(note.author)), .txt(" · \(note.date)\(note.isPrivate ? " · private" : "")")), .pre(.txt(note.entry)))
            }
            return .section(.attr("aria-labelledby", "notes-heading"),
                            .h2(.attr("id", "notes-heading"), .txt("Notes (\(model.notes.count))")),
                            items.isEmpty ? .p(.attr("class", "empty"), .txt("No notes yet.")) : .el("ul", .all(items)),
                            .when(model.canWrite, Components.postForm(Links.findingAction(model.id, "note"), csrf: model.csrfToken, [
                                Components.textArea("entry", label: "New note", value: "", required: true),
                                Components.checkbox("private", label: "Private note", checked: false),
                                Components.submit("Add note"),
                            ])))
        }
    }
}
