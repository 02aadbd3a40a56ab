/// The sections of the main menu; the current one is marked for screen readers and styles.
enum PageSection: String, Sendable, CaseIterable {
    case dashboard, products, findings, imports, connectors, account

    /// The menu label.
    var label: String {
        switch self {
        case .dashboard: return "Dashboard"
        case .products: return "Products"
        case .findings: return "Findings"
        case .imports: return "Imports"
        case .connectors: return "Connectors"
        case .account: return "Account"
        }
    }

    /// Where the menu entry leads.
    var path: String {
        switch self {
        case .dashboard: return Links.dashboard
        case .products: return Links.products
        case .findings: return Links.findings
        case .imports: return Links.imports
        case .connectors: return Links.connectors
        case .account: return Links.profile
        }
    }

    /// The sections shown in the main menu, in order.
    static let menu: [PageSection] = [.dashboard, .products, .findings, .imports, .connectors]
}

/// A one-line message shown at the top of the next page (after a redirect).
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, error }
    var kind: Kind
    var text: String
}

/// What the layout around every page shows: the title, the current section, the user menu.
struct PageChrome: Sendable, Equatable {
    var title: String
    var section: PageSection
    var username: String
    var apiTokensEnabled: Bool
    var csrfToken: String
    var flash: Flash?
}
