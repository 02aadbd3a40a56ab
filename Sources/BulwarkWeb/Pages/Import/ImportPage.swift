import Plot

/// The import form on an engagement and the reimport form on a test, and the result page after either.
enum ImportPage {
    /// Where the scan goes: an engagement (import) or a test (reimport).
    enum Target: Sendable, Equatable {
        case engagement(id: Int, name: String, product: Int, productName: String)
        case test(id: Int, title: String, scanType: String, engagement: Int, productName: String)

        var isReimport: Bool { if case .test = self { return true } else { return false } }
        var action: String {
            switch self {
            case .engagement(let id, _, _, _): return Links.importScan(engagement: id)
            case .test(let id, _, _, _, _): return Links.reimportScan(test: id)
            }
        }
    }

    /// What the form shows: the target, the scan types, what the user typed, and the errors.
    struct Model: Sendable, Equatable {
        var target: Target
        var scanTypes: [String]
        var values: FormData
        /// Field errors by field name; `file` also carries the parser's message.
        var errors: [String: [String]]
        var csrfToken: String
    }

    /// The counts after an import, with the test it went into.
    struct Result: Sendable, Equatable {
        var test: Int
        var testTitle: String
        var reimport: Bool
        var created: Int
        var closed: Int
        var reactivated: Int
        var untouched: Int
        var duplicates: Int
    }

    enum View {
        static func form(_ model: Model) -> Node<Body> {
            let v = model.values, errors = model.errors
            let reimport = model.target.isReimport
            let scanTypeDefault: String
            let heading: String
            let crumbs: [(String, String)]
            switch model.target {
            case .engagement(let id, let name, let product, let productName):
                heading = "Import scan results into \(name)"
                scanTypeDefault = ""
                crumbs = [("Products", Links.products), (productName, Links.product(product)), (name, Links.engagement(id)), ("Import", model.target.action)]
            case .test(let id, let title, let scanType, let engagement, let productName):
                heading = "Reimport scan results into \(title)"
                scanTypeDefault = scanType
                crumbs = [("Products", Links.products), (productName, Links.products), ("Engagement", Links.engagement(engagement)),
                          (title, Links.test(id)), ("Reimport", model.target.action)]
            }
            let chosenType = v["scan_type"] ?? scanTypeDefault
            let activeChecked = v.pairs.isEmpty ? true : v.checkbox("active")
            let closeOldChecked = v.pairs.isEmpty ? reimport : v.checkbox("close_old_findings")
            return .group(
                Components.breadcrumbs(crumbs),
                Components.heading(heading),
                .when(!errors.isEmpty, .p(.attr("class", "flash error"), .attr("role", "alert"), .txt("The scan was not imported. See the messages below."))),
                Components.postForm(model.target.action, csrf: model.csrfToken, className: "card", multipart: true, [
                    Components.select("scan_type", label: "Scan type", options: [("", "Choose a scan type")] + model.scanTypes.map { ($0, $0) },
                                      selected: [chosenType], errors: errors["scan_type"] ?? [], required: true),
                    fileField(errors["file"] ?? []),
                    Components.select("minimum_severity", label: "Minimum severity", options: Components.severities.reversed().map { ($0, $0) },
                                      selected: [v["minimum_severity"] ?? "Info"], errors: errors["minimum_severity"] ?? []),
                    Components.checkbox("active", label: "Findings are active", checked: activeChecked),
                    Components.checkbox("verified", label: "Findings are verified", checked: v.checkbox("verified")),
                    Components.checkbox("close_old_findings", label: "Close findings that are not in this report", checked: closeOldChecked),
                    Components.textField("scan_date", label: "Scan date", value: v["scan_date"] ?? "", errors: errors["scan_date"] ?? [], type: "date"),
                    Components.textField("tags", label: "Tags (comma separated)", value: v["tags"] ?? ""),
                    .when(!reimport, Components.textField("test_title", label: "Test title", value: v["test_title"] ?? "")),
                    Components.textField("version", label: "Version", value: v["version"] ?? ""),
                    Components.textField("build_id", label: "Build id", value: v["build_id"] ?? ""),
                    Components.textField("commit_hash", label: "Commit hash", value: v["commit_hash"] ?? ""),
                    Components.textField("branch_tag", label: "Branch or tag", value: v["branch_tag"] ?? ""),
                    .when(!(errors["non_field_errors"] ?? []).isEmpty, Components.fieldError("form", errors["non_field_errors"] ?? [])),
                    Components.submit(reimport ? "Reimport" : "Import"),
                ]))
        }

        static func fileField(_ errors: [String]) -> Node<Body> {
            .box(errors.isEmpty ? "field" : "field has-error",
                 .el("label", .attr("for", "field-file"), .txt("Report file")),
                 .input(.attr("type", "file"), .attr("id", "field-file"), .attr("name", "file"),
                        errors.isEmpty ? .empty : .attr("aria-describedby", "field-file-error"), errors.isEmpty ? .empty : .attr("aria-invalid", "true")),
                 Components.fieldError("field-file", errors))
        }

        static func result(_ result: Result) -> Node<Body> {
            .group(
                Components.heading(result.reimport ? "Reimport finished" : "Import finished"),
                .el("ul", .attr("class", "tiles"),
                    .el("li", .el("strong", .txt("\(result.created)")), .txt("New")),
                    .el("li", .el("strong", .txt("\(result.closed)")), .txt("Closed")),
                    .el("li", .el("strong", .txt("\(result.reactivated)")), .txt("Reactivated")),
                    .el("li", .el("strong", .txt("\(result.untouched)")), .txt("Untouched")),
                    .el("li", .el("strong", .txt("\(result.duplicates)")), .txt("Duplicates"))),
                .p(Components.link("Open the test \(result.testTitle)", Links.test(result.test)), .txt(" · "),
                   Components.link("Its findings", Links.findings("test=\(result.test)")))
            )
        }
    }
}
