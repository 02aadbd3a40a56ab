import Plot

extension Dashboard {
    /// The dashboard's content, a pure function of the model.
    enum View {
        static func content(_ model: Model) -> Node<Body> {
            .group(
                Components.heading("Dashboard", actions: [("All findings", Links.findings)]),
                .section(.attr("aria-labelledby", "active-heading"),
                         .h2(.attr("id", "active-heading"), .txt("Active findings by severity (\(model.activeTotal))")),
                         .el("ul", .attr("class", "tiles"), .all(model.activeBySeverity.map(severityTile)))),
                .box("grid",
                     .section(.attr("class", "card"), .attr("aria-labelledby", "trend-heading"),
                              .h2(.attr("id", "trend-heading"), .txt("Opened and closed per week")),
                              WeeklyChart.svg(model.weeks),
                              .el("ul", .attr("class", "legend"),
                                  .el("li", .span(.attr("class", "swatch opened")), .txt("Opened")),
                                  .el("li", .span(.attr("class", "swatch closed")), .txt("Closed"))),
                              .el("details", .el("summary", .txt("Weekly figures as a table")), weekTable(model.weeks))),
                     .section(.attr("class", "card"), .attr("aria-labelledby", "sla-heading"),
                              .h2(.attr("id", "sla-heading"), .txt("Service level")),
                              .el("ul", .attr("class", "tiles"),
                                  .el("li", .el("strong", .txt("\(model.slaBreached)")),
                                      .a(.attr("href", Links.findings("sla=breached")), .txt("SLA breached"))),
                                  .el("li", .el("strong", .txt("\(model.slaDueSoon)")),
                                      .a(.attr("href", Links.findings("sla=due_soon")), .txt("Due within 7 days")))))),
                .section(.attr("aria-labelledby", "top-heading"),
                         .h2(.attr("id", "top-heading"), .txt("Products with the most critical and high findings")),
                         Components.table(caption: "Products by active critical and high findings", headers: ["Product", "Critical", "High"],
                                          rows: model.topProducts.map { product in
                                              [Components.link(product.name, Links.product(product.id)),
                                               Components.link("\(product.critical)", Links.findings("product=\(product.id)&severity=Critical&status=active")),
                                               Components.link("\(product.high)", Links.findings("product=\(product.id)&severity=High&status=active"))]
                                          }, empty: "No active critical or high findings.")),
                .section(.attr("aria-labelledby", "imports-heading"),
                         .h2(.attr("id", "imports-heading"), .txt("Latest imports")),
                         importsTable(model.latestImports))
            )
        }

        static func severityTile(_ count: SeverityCount) -> Node<Body> {
            .el("li", .el("strong", .txt("\(count.count)")),
                .a(.attr("href", Links.findings("severity=\(count.severity)&status=active")), .txt(count.severity)))
        }

        static func weekTable(_ weeks: [Week]) -> Node<Body> {
            Components.table(caption: "Findings opened and closed per week", headers: ["Week of", "Opened", "Closed"],
                             rows: weeks.map { [.txt($0.start), .txt("\($0.opened)"), .txt("\($0.closed)")] })
        }

        /// The imports table, shared with the imports page.
        static func importsTable(_ imports: [ImportSummary]) -> Node<Body> {
            Components.table(caption: "Latest imports", headers: ["Date", "Kind", "Product", "Test", "New", "Closed", "Reactivated", "Untouched"],
                             rows: imports.map { item in
                                 [.txt(item.date), .txt(item.kind), Components.link(item.productName, Links.product(item.product)),
                                  Components.link("\(item.testTitle) (\(item.scanType))", Links.test(item.test)),
                                  .txt("\(item.created)"), .txt("\(item.closed)"), .txt("\(item.reactivated)"), .txt("\(item.untouched)")]
                             }, empty: "No scans imported yet.")
        }
    }
}
