/// `/`: the dashboard.
enum Dashboard {
    /// Findings of one severity.
    struct SeverityCount: Sendable, Equatable {
        var severity: String
        var count: Int
    }

    /// Findings opened (by finding date) and closed (by mitigation time) in one week.
    struct Week: Sendable, Equatable {
        /// The first day of the week, `YYYY-MM-DD`.
        var start: String
        var opened: Int
        var closed: Int
    }

    /// A product with its active critical and high findings.
    struct ProductRisk: Sendable, Equatable {
        var id: Int
        var name: String
        var critical: Int
        var high: Int
    }

    /// One import or reimport with its per-finding actions.
    struct ImportSummary: Sendable, Equatable {
        var id: Int
        var kind: String
        var date: String
        var test: Int
        var testTitle: String
        var scanType: String
        var product: Int
        var productName: String
        var created: Int
        var closed: Int
        var reactivated: Int
        var untouched: Int
    }

    /// Everything the dashboard shows.
    struct Model: Sendable, Equatable {
        var activeBySeverity: [SeverityCount]
        var weeks: [Week]
        var slaBreached: Int
        var slaDueSoon: Int
        var topProducts: [ProductRisk]
        var latestImports: [ImportSummary]

        /// All active findings.
        var activeTotal: Int { activeBySeverity.reduce(0) { $0 + $1.count } }
    }
}
