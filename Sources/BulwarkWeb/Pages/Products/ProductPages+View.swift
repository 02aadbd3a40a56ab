import Plot

extension ProductPages {
    enum View {
        static func list(_ model: ListModel, level: Int = 1) -> Node<Body> {
            let table = Components.table(caption: model.title, headers: ["Name"] + model.headers, rows: model.rows.map { row in
                [Components.link(row.name, "\(model.linkPrefix)/\(row.id)")] + row.columns.map { Node<Body>.txt($0) }
            }, empty: "None yet.")
            let actions = model.actions.map { ($0.label, $0.path) }
            if level == 1 {
                return .group(Components.heading(model.title, actions: actions), table)
            }
            return .section(.h2(.txt(model.title)),
                            .when(!actions.isEmpty, .box("actions", .all(actions.map { .a(.attr("class", "button secondary"), .attr("href", $0.1), .txt($0.0)) }))),
                            table)
        }

        static func detail(_ model: DetailModel) -> Node<Body> {
            .group(
                Components.breadcrumbs(model.breadcrumbs.map { ($0.label, $0.path) }),
                Components.heading(model.title, actions: model.actions.map { ($0.label, $0.path) }),
                .box("card", Components.facts(model.facts.map { ($0.label, $0.value) })),
                .section(.attr("aria-labelledby", "severity-heading"),
                         .h2(.attr("id", "severity-heading"), .txt("Active findings by severity")),
                         .el("ul", .attr("class", "tiles"), .all(model.severityCounts.map { count in
                             .el("li", .el("strong", .txt("\(count.count)")),
                                 .a(.attr("href", Links.findings("\(model.findingsQuery)&severity=\(count.severity)&status=active")), .txt(count.severity)))
                         }))),
                .p(Components.link("All findings", Links.findings(model.findingsQuery))),
                .all(model.children.map { list($0, level: 2) })
            )
        }
    }
}
