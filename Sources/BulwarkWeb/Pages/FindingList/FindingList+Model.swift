/// `/finding`: the findings list with filters in the URL, sorting, SQL pagination and bulk actions.
enum FindingList {
    /// The filters, sort and page, as read from (and written back to) the query string.
    struct Filters: Sendable, Equatable {
        var severities: [String] = []
        var status = ""
        var product: Int?
        var engagement: Int?
        var test: Int?
        var scanType = ""
        var tag = ""
        var cwe: Int?
        var cve = ""
        var dateFrom = ""
        var dateTo = ""
        var sla = ""
        var search = ""
        var order = "severity"
        var page = 1
        var pageSize = 25

        static let statuses: [(String, String)] = [
            ("", "Any status"), ("active", "Active"), ("verified", "Verified"), ("inactive", "Inactive"), ("mitigated", "Mitigated"),
            ("false_p", "False positive"), ("out_of_scope", "Out of scope"), ("risk_accepted", "Risk accepted"), ("duplicate", "Duplicate"),
        ]
        static let slaStates: [(String, String)] = [("", "Any SLA state"), ("breached", "Breached"), ("due_soon", "Due within 7 days"), ("on_track", "On track")]
        static let orders: [(String, String)] = [
            ("severity", "Severity"), ("-date", "Newest first"), ("date", "Oldest first"), ("title", "Title"), ("-title", "Title, Z to A"), ("-id", "Most recently added"),
        ]
        static let pageSizes = [25, 50, 100]

        /// Reads the filters from a query string; unknown or malformed values fall back to the defaults.
        init(_ query: FormData = FormData()) {
            severities = query.values("severity").filter { Components.severities.contains($0) }
            if let status = query["status"], Self.statuses.contains(where: { $0.0 == status }) { self.status = status }
            product = query.int("product")
            engagement = query.int("engagement")
            test = query.int("test")
            scanType = query["scan_type"] ?? ""
            tag = query["tag"] ?? ""
            cwe = query.int("cwe")
            cve = query["cve"] ?? ""
            dateFrom = Self.day(query["date_from"])
            dateTo = Self.day(query["date_to"])
            if let sla = query["sla"], Self.slaStates.contains(where: { $0.0 == sla }) { self.sla = sla }
            search = String((query["q"] ?? "").prefix(200))
            if let order = query["o"], Self.orders.contains(where: { $0.0 == order }) { self.order = order }
            page = max(1, min(query.int("page") ?? 1, 100_000))
            if let size = query.int("page_size"), Self.pageSizes.contains(size) { pageSize = size }
        }

        /// `YYYY-MM-DD` or empty.
        static func day(_ raw: String?) -> String {
            guard let raw, raw.count == 10, raw.allSatisfy({ $0.isNumber || $0 == "-" }) else { return "" }
            return raw
        }

        /// The query string for these filters, with another page or order when given.
        func query(page: Int? = nil, order: String? = nil) -> String {
            var pairs: [(String, String)] = severities.map { ("severity", $0) }
            pairs += [("status", status), ("product", product.map(String.init) ?? ""), ("engagement", engagement.map(String.init) ?? ""),
                      ("test", test.map(String.init) ?? ""), ("scan_type", scanType), ("tag", tag), ("cwe", cwe.map(String.init) ?? ""),
                      ("cve", cve), ("date_from", dateFrom), ("date_to", dateTo), ("sla", sla), ("q", search)]
            let chosenOrder = order ?? self.order
            if chosenOrder != "severity" { pairs.append(("o", chosenOrder)) }
            if pageSize != 25 { pairs.append(("page_size", String(pageSize))) }
            let chosenPage = page ?? self.page
            if chosenPage != 1 { pairs.append(("page", String(chosenPage))) }
            return FormData(pairs: pairs).queryString
        }
    }

    /// One row of the list.
    struct Row: Sendable, Equatable {
        var id: Int
        var title: String
        var severity: String
        var status: String
        var product: Int
        var productName: String
        var date: String
        var cwe: Int?
        var component: String
        var slaDaysRemaining: Int?
    }

    /// A choice in a filter select.
    struct Option: Sendable, Equatable {
        var value: String
        var label: String
    }

    /// Everything the list shows.
    struct Model: Sendable, Equatable {
        var filters: Filters
        var rows: [Row]
        var total: Int
        var products: [Option]
        var engagements: [Option]
        var scanTypes: [Option]
        var csrfToken: String
    }
}
