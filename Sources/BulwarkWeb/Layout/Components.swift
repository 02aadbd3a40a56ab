import BulwarkCore
import Plot

/// Small pieces shared by the pages: headings with actions, badges, tables, form fields, pagination.
enum Components {
    /// The page heading with optional action links on the right.
    static func heading(_ title: String, actions: [(String, String)] = []) -> Node<Body> {
        .box("page-heading",
             .h1(.txt(title)),
             .when(!actions.isEmpty, .box("actions", .all(actions.map { .a(.attr("class", "button"), .attr("href", $0.1), .txt($0.0)) }))))
    }

    /// A breadcrumb trail (each entry label and link; the last is the current page).
    static func breadcrumbs(_ trail: [(String, String)]) -> Node<Body> {
        let items: [Node<Body>] = trail.enumerated().map { index, entry in
            index == trail.count - 1
                ? .el("li", .attr("aria-current", "page"), .txt(entry.0))
                : .el("li", .a(.attr("href", entry.1), .txt(entry.0)))
        }
        return .nav(.attr("aria-label", "Breadcrumb"), .el("ol", .attr("class", "breadcrumbs"), .all(items)))
    }

    /// A severity badge (text plus colour; the text alone carries the meaning).
    static func severity(_ severity: String) -> Node<Body> {
        .span(.attr("class", "sev sev-\(severity.lowercased())"), .txt(severity))
    }

    /// A table with a caption for screen readers, header cells and rows of cells.
    static func table(caption: String, headers: [String], rows: [[Node<Body>]], empty: String = "Nothing here yet.") -> Node<Body> {
        guard !rows.isEmpty else { return .p(.attr("class", "empty"), .txt(empty)) }
        let head: [Node<Body>] = headers.map { .el("th", .attr("scope", "col"), .txt($0)) }
        let body: [Node<Body>] = rows.map { cells in .el("tr", .all(cells.map { .el("td", $0) })) }
        return .box("table-wrap",
                    .el("table", .el("caption", .attr("class", "visually-hidden"), .txt(caption)),
                        .el("thead", .el("tr", .all(head))), .el("tbody", .all(body))))
    }

    /// A description list of label/value pairs (empty values shown as a dash).
    static func facts(_ pairs: [(String, String)]) -> Node<Body> {
        .el("dl", .attr("class", "facts"), .all(pairs.flatMap { pair -> [Node<Body>] in
            [.el("dt", .txt(pair.0)), .el("dd", .txt(pair.1.isEmpty ? "—" : pair.1))]
        }))
    }

    /// A link.
    static func link(_ text: String, _ href: String) -> Node<Body> {
        .a(.attr("href", href), .txt(text))
    }

    /// The hidden CSRF field every state-changing form carries.
    static func csrf(_ token: String) -> Node<Body> {
        .input(.attr("type", "hidden"), .attr("name", FormCSRF.fieldName), .attr("value", token))
    }

    /// A POST form with the CSRF field.
    static func postForm(_ action: String, csrf token: String, className: String = "", multipart: Bool = false, _ nodes: [Node<Body>]) -> Node<Body> {
        .el("form", [.attr("method", "post"), .attr("action", action), .when(!className.isEmpty, .attr("class", className)),
                     .when(multipart, .attr("enctype", "multipart/form-data")), csrf(token)] + nodes)
    }

    /// A submit button.
    static func submit(_ label: String, className: String = "") -> Node<Body> {
        .el("button", .attr("type", "submit"), .when(!className.isEmpty, .attr("class", className)), .txt(label))
    }

    /// The error text of a field, linked to its input by `aria-describedby`.
    static func fieldError(_ id: String, _ errors: [String]) -> Node<Body> {
        guard !errors.isEmpty else { return .empty }
        return .el("p", .attr("class", "field-error"), .attr("id", "\(id)-error"), .txt(errors.joined(separator: " ")))
    }

    /// A labelled text input that keeps its value and shows its errors beside it.
    static func textField(_ name: String, label: String, value: String, errors: [String] = [], type: String = "text",
                          required: Bool = false, hint: String? = nil, autocomplete: String? = nil) -> Node<Body> {
        let id = "field-\(name)"
        return .box(errors.isEmpty ? "field" : "field has-error",
                    .el("label", .attr("for", id), .txt(label + (required ? " (required)" : ""))),
                    .when(hint != nil, .el("p", .attr("class", "hint"), .attr("id", "\(id)-hint"), .txt(hint ?? ""))),
                    .input(.attr("type", type), .attr("id", id), .attr("name", name), .attr("value", value),
                           required ? .attr("required", "required") : .empty,
                           autocomplete.map { Attribute<PlotHTML.InputContext>.attr("autocomplete", $0) } ?? .empty,
                           errors.isEmpty ? .empty : .attr("aria-invalid", "true"),
                           errors.isEmpty ? (hint == nil ? .empty : .attr("aria-describedby", "\(id)-hint")) : .attr("aria-describedby", "\(id)-error")),
                    fieldError(id, errors))
    }

    /// A labelled multi-line input.
    static func textArea(_ name: String, label: String, value: String, errors: [String] = [], required: Bool = false) -> Node<Body> {
        let id = "field-\(name)"
        return .box(errors.isEmpty ? "field" : "field has-error",
                    .el("label", .attr("for", id), .txt(label + (required ? " (required)" : ""))),
                    .el("textarea", .attr("id", id), .attr("name", name), .attr("rows", "4"),
                        .when(required, .attr("required", "required")),
                        .when(!errors.isEmpty, .attr("aria-describedby", "\(id)-error")), .txt(value)),
                    fieldError(id, errors))
    }

    /// A labelled select; `options` are value/label pairs.
    static func select(_ name: String, label: String, options: [(String, String)], selected: [String], errors: [String] = [],
                       multiple: Bool = false, required: Bool = false) -> Node<Body> {
        let id = "field-\(name)"
        let choices: [Node<Body>] = options.map { option in
            .el("option", .attr("value", option.0), .flag("selected", selected.contains(option.0)), .txt(option.1))
        }
        return .box(errors.isEmpty ? "field" : "field has-error",
                    .el("label", .attr("for", id), .txt(label + (required ? " (required)" : ""))),
                    .el("select", [.attr("id", id), .attr("name", name), .flag("multiple", multiple), .flag("required", required),
                                   .when(!errors.isEmpty, .attr("aria-describedby", "\(id)-error"))] + choices),
                    fieldError(id, errors))
    }

    /// A labelled checkbox.
    static func checkbox(_ name: String, label: String, checked: Bool) -> Node<Body> {
        let id = "field-\(name)"
        return .box("field check",
                    .input(.attr("type", "checkbox"), .attr("id", id), .attr("name", name), .attr("value", "true"),
                           checked ? .attr("checked", "checked") : .empty),
                    .el("label", .attr("for", id), .txt(label)))
    }

    /// Previous/next links and the position, keeping the other query parameters.
    static func pagination(page: Int, pageSize: Int, total: Int, link: (Int) -> String) -> Node<Body> {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let first = total == 0 ? 0 : (page - 1) * pageSize + 1
        let last = min(total, page * pageSize)
        return .nav(.attr("class", "pagination"), .attr("aria-label", "Pages"),
                    .when(page > 1, .a(.attr("href", link(page - 1)), .attr("rel", "prev"), .txt("← Previous"))),
                    .span(.txt("\(first)–\(last) of \(total) · page \(page) of \(pages)")),
                    .when(page < pages, .a(.attr("href", link(page + 1)), .attr("rel", "next"), .txt("Next →"))))
    }

    /// The severities in DefectDojo's order, most severe first.
    static let severities = ["Critical", "High", "Medium", "Low", "Info"]
}
