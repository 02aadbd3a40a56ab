import Foundation
import Plot

extension ConnectorPages {
    enum View {
        static func list(_ model: ListModel) -> Node<Body> {
            let rows: [[Node<Body>]] = model.connectors.map { connector in
                [Components.link(connector.label, Links.connector(connector.id)), .txt(connector.tool), health(connector.health),
                 .txt(connector.enabled ? "yes" : "no"), .txt("\(connector.mapped) of \(connector.records)"), .txt(connector.lastSync.isEmpty ? "—" : connector.lastSync)]
            }
            return .group(
                Components.heading("Connectors", actions: [("API: connectors/", "/api/v2/oa3/swagger-ui/#/connectors")]),
                .p(.attr("class", "hint"), .txt("""
                    Connectors pull findings from a tool's API. Create and edit them through the API (connectors/, see the README's \
                    Connectors section for each tool's location, key and permissions); here you check their health, run them and \
                    map their records to products.
                    """)),
                Components.table(caption: "Connectors", headers: ["Label", "Tool", "Health", "Enabled", "Records mapped", "Last sync"],
                                 rows: rows, empty: "No connector yet."))
        }

        static func health(_ value: String) -> Node<Body> {
            .span(.attr("class", "health health-\(value.replacingOccurrences(of: "_", with: "-"))"), .txt(value.replacingOccurrences(of: "_", with: " ")))
        }

        static func detail(_ model: DetailModel) -> Node<Body> {
            let connector = model.summary
            let buttons: [Node<Body>] = ["validate", "discover", "sync"].map { action in
                Components.postForm(Links.connectorAction(connector.id, action), csrf: model.csrfToken, className: "inline",
                                    [Components.submit(action.capitalized, className: action == "sync" ? "" : "secondary")])
            }
            return .group(
                Components.breadcrumbs([("Connectors", Links.connectors), (connector.label, Links.connector(connector.id))]),
                Components.heading(connector.label),
                .box("card", Components.facts([
                    ("Tool", connector.tool), ("Location", connector.location), ("Health", connector.health),
                    ("Health message", model.healthMessage), ("Enabled", connector.enabled ? "yes" : "no"), ("Schedule", model.intervals),
                    ("Last sync", connector.lastSync),
                ])),
                .box("actions", .all(buttons)),
                records(model),
                operations(model))
        }

        static func records(_ model: DetailModel) -> Node<Body> {
            let rows: [[Node<Body>]] = model.records.map { record in
                [.input(.attr("type", "checkbox"), .attr("name", "record"), .attr("value", String(record.id)),
                        .attr("form", "record-mapping"), .attr("aria-label", "Select \(record.name)")),
                 .txt(record.name), .txt(record.externalID), .txt(record.state), .txt(record.product.isEmpty ? "—" : record.product),
                 .txt(record.lastSync.isEmpty ? "—" : record.lastSync), .txt(record.lastError)]
            }
            let products = model.products.map { (String($0.id), $0.name) }
            return .section(.attr("aria-labelledby", "records-heading"),
                .h2(.attr("id", "records-heading"), .txt("Records (\(model.records.count))")),
                Components.table(caption: "Records", headers: ["Select", "Name", "Id in the tool", "State", "Product", "Last sync", "Last error"],
                                 rows: rows, empty: "No records yet: run Discover."),
                .when(!model.records.isEmpty, Components.postForm(Links.connectorRecords(model.summary.id), csrf: model.csrfToken, className: "bulk", [
                    .attr("id", "record-mapping"),
                    Components.select("product", label: "Product for the selected records", options: [("", "—")] + products, selected: []),
                    .el("button", .attr("type", "submit"), .attr("name", "change"), .attr("value", "map"), .txt("Map to product")),
                    .el("button", .attr("type", "submit"), .attr("name", "change"), .attr("value", "ignore"), .attr("class", "secondary"), .txt("Ignore")),
                    .el("button", .attr("type", "submit"), .attr("name", "change"), .attr("value", "unmap"), .attr("class", "secondary"), .txt("Unmap")),
                ])))
        }

        static func operations(_ model: DetailModel) -> Node<Body> {
            let rows: [[Node<Body>]] = model.operations.map { operation in
                [.txt(String(operation.id)), .txt(operation.type), .txt(operation.trigger), .txt(operation.status), .txt(operation.started),
                 .txt(operation.counters.isEmpty ? "—" : operation.counters), .txt(operation.error)]
            }
            return .section(.attr("aria-labelledby", "operations-heading"),
                .h2(.attr("id", "operations-heading"), .txt("Operations")),
                Components.table(caption: "Operations", headers: ["#", "Type", "Trigger", "Status", "Started", "Counters", "Error"],
                                 rows: rows, empty: "Nothing has run yet."))
        }
    }
}
