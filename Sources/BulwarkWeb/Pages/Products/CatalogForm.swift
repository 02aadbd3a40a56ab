import Plot

/// The create/edit forms of product types, products and engagements: one form description each,
/// rendered with the field errors beside the fields and the input kept.
enum CatalogForm {
    enum Kind: Sendable, Equatable {
        case text, textarea, date
        case select([Option])
    }

    struct Option: Sendable, Equatable {
        var value: String
        var label: String
    }

    struct Field: Sendable, Equatable {
        var name: String
        var label: String
        var kind: Kind
        var required: Bool
    }

    struct Model: Sendable, Equatable {
        var title: String
        var action: String
        var cancel: String
        var fields: [Field]
        var values: FormData
        var errors: [String: [String]]
        var csrfToken: String
    }

    enum View {
        static func content(_ model: Model) -> Node<Body> {
            let inputs: [Node<Body>] = model.fields.map { field in
                let value = model.values[field.name] ?? "", errors = model.errors[field.name] ?? []
                switch field.kind {
                case .text: return Components.textField(field.name, label: field.label, value: value, errors: errors, required: field.required)
                case .date: return Components.textField(field.name, label: field.label, value: value, errors: errors, type: "date", required: field.required)
                case .textarea: return Components.textArea(field.name, label: field.label, value: value, errors: errors, required: field.required)
                case .select(let options):
                    return Components.select(field.name, label: field.label, options: options.map { ($0.value, $0.label) }, selected: [value],
                                             errors: errors, required: field.required)
                }
            }
            return .group(
                Components.heading(model.title),
                .when(!model.errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("Please correct the errors below."))),
                Components.postForm(model.action, csrf: model.csrfToken, className: "card",
                                    inputs + [.box("actions", Components.submit("Save"), .a(.attr("class", "button secondary"), .attr("href", model.cancel), .txt("Cancel")))]))
        }
    }
}
