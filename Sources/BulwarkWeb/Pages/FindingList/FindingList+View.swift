import Plot

extension FindingList {
    /// The list's content: the filter form (GET, so the URL holds the view), the bulk form around the table, pagination.
    enum View {
        static func content(_ model: Model) -> Node<Body> {
            let filters = model.filters
            return .group(
                Components.heading("Findings (\(model.total))"),
                filterForm(model),
                Components.postForm(Links.bulkFindings, csrf: model.csrfToken, className: "bulk-form", [
                    .input(.attr("type", "hidden"), .attr("name", "return"), .attr("value", filters.query())),
                    table(model),
                    bulkControls(),
                ]),
                Components.pagination(page: filters.page, pageSize: filters.pageSize, total: model.total) { page in
                    Links.findings(filters.query(page: page))
                }
            )
        }

        static func filterForm(_ model: Model) -> Node<Body> {
            let f = model.filters
            let products = [("", "Any product")] + model.products.map { ($0.value, $0.label) }
            let engagements = [("", "Any engagement")] + model.engagements.map { ($0.value, $0.label) }
            let scanTypes = [("", "Any scan type")] + model.scanTypes.map { ($0.value, $0.label) }
            return .el("form", .attr("method", "get"), .attr("action", Links.findings), .attr("class", "card"),
                       .attr("role", "search"), .attr("aria-label", "Filter findings"),
                       .box("filters",
                            Components.textField("q", label: "Search title, component, path", value: f.search),
                            Components.select("severity", label: "Severity", options: Components.severities.map { ($0, $0) },
                                              selected: f.severities, multiple: true),
                            Components.select("status", label: "Status", options: Filters.statuses, selected: [f.status]),
                            Components.select("product", label: "Product", options: products, selected: [f.product.map(String.init) ?? ""]),
                            Components.select("engagement", label: "Engagement", options: engagements, selected: [f.engagement.map(String.init) ?? ""]),
                            Components.select("scan_type", label: "Scan type", options: scanTypes, selected: [f.scanType]),
                            Components.textField("tag", label: "Tag", value: f.tag),
                            Components.textField("cwe", label: "CWE", value: f.cwe.map(String.init) ?? "", type: "number"),
                            Components.textField("cve", label: "CVE / vulnerability id", value: f.cve),
                            Components.textField("date_from", label: "Date from", value: f.dateFrom, type: "date"),
                            Components.textField("date_to", label: "Date to", value: f.dateTo, type: "date"),
                            Components.select("sla", label: "SLA", options: Filters.slaStates, selected: [f.sla]),
                            Components.select("o", label: "Sort by", options: Filters.orders, selected: [f.order]),
                            Components.select("page_size", label: "Per page", options: Filters.pageSizes.map { (String($0), String($0)) },
                                              selected: [String(f.pageSize)])),
                       .box("actions", Components.submit("Apply filters"),
                            .a(.attr("class", "button secondary"), .attr("href", Links.findings), .txt("Clear"))))
        }

        /// A column header that sorts by `key` (toggling the direction), with `aria-sort` on the sorted one.
        static func sortHeader(_ label: String, key: String, filters: Filters) -> Node<Body> {
            let next = filters.order == key ? "-\(key)" : key
            let current = filters.order == key ? "ascending" : filters.order == "-\(key)" ? "descending" : nil
            return .el("th", .attr("scope", "col"), current.map { Node<Body>.attr("aria-sort", $0) } ?? .empty,
                       .a(.attr("href", Links.findings(filters.query(page: 1, order: next))),
                          .txt(label + (current == "ascending" ? " ▲" : current == "descending" ? " ▼" : ""))))
        }

        static func table(_ model: Model) -> Node<Body> {
            guard !model.rows.isEmpty else { return .p(.attr("class", "empty"), .txt("No findings match these filters.")) }
            let f = model.filters
            let head: [Node<Body>] = [
                .el("th", .attr("scope", "col"),
                    .input(.attr("type", "checkbox"), .attr("aria-label", "Select all findings on this page"), .attr("data-select-all", "finding"))),
                sortHeader("Severity", key: "severity", filters: f),
                sortHeader("Title", key: "title", filters: f),
                .el("th", .attr("scope", "col"), .txt("Product")),
                .el("th", .attr("scope", "col"), .txt("Status")),
                sortHeader("Date", key: "date", filters: f),
                .el("th", .attr("scope", "col"), .attr("class", "hide-narrow"), .txt("CWE")),
                .el("th", .attr("scope", "col"), .txt("SLA days")),
            ]
            let rows: [Node<Body>] = model.rows.map { row in
                .el("tr",
                    .el("td", .input(.attr("type", "checkbox"), .attr("name", "finding"), .attr("value", String(row.id)),
                                     .attr("aria-label", "Select finding \(row.id): \(row.title)"))),
                    .el("td", Components.severity(row.severity)),
                    .el("td", Components.link(row.title, Links.finding(row.id)),
                        .when(!row.component.isEmpty, .el("div", .attr("class", "muted"), .txt(row.component)))),
                    .el("td", Components.link(row.productName, Links.product(row.product))),
                    .el("td", .txt(row.status)),
                    .el("td", .txt(row.date)),
                    .el("td", .attr("class", "hide-narrow"), .txt(row.cwe.map { "CWE-\($0)" } ?? "")),
                    .el("td", .txt(row.slaDaysRemaining.map(String.init) ?? "")))
            }
            return .box("table-wrap",
                        .el("table", .el("caption", .attr("class", "visually-hidden"), .txt("Findings, page \(f.page)")),
                            .el("thead", .el("tr", .all(head))), .el("tbody", .all(rows))))
        }

        static func bulkControls() -> Node<Body> {
            .el("fieldset", .attr("class", "card bulk"),
                .el("legend", .txt("Bulk action on the selected findings")),
                Components.select("action", label: "Action", options: [
                    ("close", "Close"), ("verify", "Verify"), ("false_positive", "Mark false positive"),
                    ("accept_risk", "Accept risk"), ("tag", "Add tags"),
                ], selected: ["close"]),
                Components.textField("tags", label: "Tags (comma separated)", value: ""),
                Components.textField("reason", label: "Risk acceptance reason", value: ""),
                Components.textField("expiration", label: "Risk accepted until", value: "", type: "date"),
                Components.submit("Apply to selected"))
        }
    }
}
