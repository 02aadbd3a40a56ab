/// The product tree's pages: product types, products, engagements and tests.
enum ProductPages {
    /// A row of a list: id, name and a few facts shown as columns.
    struct Row: Sendable, Equatable {
        var id: Int
        var name: String
        var columns: [String]
    }

    /// A list page.
    struct ListModel: Sendable, Equatable {
        var title: String
        var headers: [String]
        var rows: [Row]
        /// The link of a row's name.
        var linkPrefix: String
        var actions: [Action]
    }

    /// A link shown as a button.
    struct Action: Sendable, Equatable {
        var label: String
        var path: String
    }

    /// A detail page: facts, counts by severity, and child lists.
    struct DetailModel: Sendable, Equatable {
        var title: String
        var breadcrumbs: [Action]
        var facts: [Fact]
        var severityCounts: [Dashboard.SeverityCount]
        /// Where the severity counts link to (a findings query).
        var findingsQuery: String
        var children: [ListModel]
        var actions: [Action]
    }

    /// A label and its value.
    struct Fact: Sendable, Equatable {
        var label: String
        var value: String
    }
}
