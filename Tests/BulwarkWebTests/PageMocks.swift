@testable import BulwarkWeb
import BulwarkServices

/// Fixed model values for the view tests.
enum PageMocks {
    static let csrf = "csrf-token-0123456789"

    static func chrome(_ section: PageSection, _ title: String, flash: Flash? = nil, tokens: Bool = true) -> PageChrome {
        PageChrome(title: title, section: section, username: "alice", apiTokensEnabled: tokens, csrfToken: csrf, flash: flash)
    }

    static let dashboard = Dashboard.Model(
        activeBySeverity: [.init(severity: "Critical", count: 3), .init(severity: "High", count: 12), .init(severity: "Medium", count: 40),
                           .init(severity: "Low", count: 7), .init(severity: "Info", count: 0)],
        weeks: (0..<12).map { Dashboard.Week(start: "2026-09-\(String(format: "%02d", 1 + $0 * 2))", opened: $0 * 3, closed: $0 % 4) },
        slaBreached: 4, slaDueSoon: 2,
        topProducts: [.init(id: 1, name: "Shop", critical: 2, high: 9), .init(id: 2, name: "Billing <legacy>", critical: 1, high: 3)],
        latestImports: [.init(id: 7, kind: "import", date: "2026-11-30T10:00:00Z", test: 5, testTitle: "ZAP nightly", scanType: "ZAP Scan",
                              product: 1, productName: "Shop", created: 10, closed: 2, reactivated: 1, untouched: 30)])

    static var findingFilters: FindingList.Filters {
        FindingList.Filters(FormData(urlEncoded: "severity=High&severity=Critical&status=active&product=1&q=sql&o=-date&page=2"))
    }

    static let findingList = FindingList.Model(
        filters: findingFilters,
        rows: [.init(id: 41, title: "SQL Injection in \"search\"", severity: "High", status: "Active, Verified", product: 1, productName: "Shop",
                     date: "2026-11-02", cwe: 89, component: "search-api", slaDaysRemaining: -3),
               .init(id: 42, title: "Reflected XSS", severity: "Critical", status: "Active", product: 1, productName: "Shop",
                     date: "2026-11-20", cwe: nil, component: "", slaDaysRemaining: 4)],
        total: 27, products: [.init(value: "1", label: "Shop"), .init(value: "2", label: "Billing")],
        engagements: [.init(value: "3", label: "CI")], scanTypes: [.init(value: "ZAP Scan", label: "ZAP Scan")], csrfToken: csrf)

    static var findingDetail: FindingDetail.Model {
        var flags = FindingFlags()
        flags.active = true
        return FindingDetail.Model(
            id: 41, title: "SQL Injection in \"search\"", severity: "High", status: "Active", flags: flags,
            product: (1, "Shop"), engagement: (3, "CI"), test: (5, "ZAP nightly"),
            fields: [("ID", "41"), ("Date", "2026-11-02"), ("CWE", "89"), ("File path", "src/<search>.py")],
            description: "User input reaches the query.\n<b>not bold</b>", mitigation: "Use bound parameters.", impact: "", references: "",
            endpoints: [.init(url: "https://shop.example.com/search?q=1", mitigated: false)],
            notes: [.init(id: 9, author: "bob", date: "2026-11-03T08:00:00Z", entry: "Confirmed on staging", isPrivate: false)],
            history: [.init(date: "2026-11-02T10:00:00Z", kind: "import", action: "Created", test: 5)],
            changes: [.init(date: "2026-11-03T09:00:00Z", actor: "bob", action: "verify", summary: ["verified: no → yes"])],
            tags: ["pci", "urgent"], duplicates: [.init(id: 12, title: "SQL Injection", status: "Inactive, Duplicate", isOriginal: false)],
            canWrite: true, csrfToken: csrf)
    }
}
