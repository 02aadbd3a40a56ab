@testable import BulwarkWeb
import Foundation
import BulwarkCore
import BulwarkServices
import Testing

@Suite("Page views render from model values (golden HTML files)")
struct PageViewTests {
    @Test("Dashboard with severity tiles, the weekly SVG chart, SLA figures, top products and imports")
    func dashboard() throws {
        // Given
        let model = PageMocks.dashboard
        // When
        let html = PageLayout.render(PageMocks.chrome(.dashboard, "Dashboard"), content: Dashboard.View.content(model))
        // Then
        try Golden.check(html, named: "dashboard")
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("Billing &lt;legacy&gt;"))
        #expect(html.contains("href=\"/finding?sla=breached\""))
    }

    @Test("Findings list keeps its filters in every link and offers bulk actions")
    func findingList() throws {
        let html = PageLayout.render(PageMocks.chrome(.findings, "Findings"), content: FindingList.View.content(PageMocks.findingList))
        try Golden.check(html, named: "finding-list")
        #expect(html.contains("name=\"csrfmiddlewaretoken\" value=\"\(PageMocks.csrf)\""))
        #expect(html.contains("aria-sort=\"descending\""))
        #expect(html.contains("SQL Injection in &quot;search&quot;"))
    }

    @Test("Finding detail shows fields, endpoints, notes, history, tags, duplicates and the triage forms")
    func findingDetail() throws {
        let html = PageLayout.render(PageMocks.chrome(.findings, "Finding"), content: FindingDetail.View.content(PageMocks.findingDetail))
        try Golden.check(html, named: "finding-detail")
        for action in ["verify", "close", "false_positive", "out_of_scope", "accept_risk", "note", "tags", "remove_tag"] {
            #expect(html.contains("action=\"/finding/41/\(action)\""), "missing \(action)")
        }
        #expect(html.contains("&lt;b&gt;not bold&lt;/b&gt;"))
        #expect(!html.contains("<b>not bold"))
    }

    @Test("A finding without write permission shows no triage forms")
    func findingDetailReadOnly() {
        var model = PageMocks.findingDetail
        model.canWrite = false
        let html = PageLayout.render(PageMocks.chrome(.findings, "Finding"), content: FindingDetail.View.content(model))
        #expect(!html.contains("method=\"post\""))
    }

    @Test("The edit form shows field errors next to the fields and keeps the input")
    func findingEditErrors() throws {
        let model = FindingEditPage.Model(
            id: 41, edit: FindingEdit(title: "", severity: "Urgent", description: "kept text", line: "abc"),
            errors: ["title": ["This field may not be blank."], "severity": [Severity.invalidMessage], "line": ["A valid integer is required."]],
            csrfToken: PageMocks.csrf)
        let html = PageLayout.render(PageMocks.chrome(.findings, "Edit"), content: FindingEditPage.View.content(model))
        try Golden.check(html, named: "finding-edit-errors")
        #expect(html.contains("id=\"field-title-error\""))
        #expect(html.contains("aria-describedby=\"field-line-error\""))
        #expect(html.contains(">kept text</textarea>"))
        #expect(html.contains("value=\"abc\""))
    }

    @Test("The import form shows the parser's message beside the file field and keeps the options")
    func importFormError() throws {
        let model = ImportPage.Model(
            target: .engagement(id: 3, name: "CI", product: 1, productName: "Shop"), scanTypes: ["Generic Findings Import", "ZAP Scan"],
            values: FormData(urlEncoded: "scan_type=ZAP+Scan&minimum_severity=Low&verified=true&tags=nightly"),
            errors: ["file": ["ZAP Scan: the report is not XML (line 1)"]], csrfToken: PageMocks.csrf)
        let html = PageLayout.render(PageMocks.chrome(.imports, "Import"), content: ImportPage.View.form(model))
        try Golden.check(html, named: "import-form-error")
        #expect(html.contains("ZAP Scan: the report is not XML (line 1)"))
        #expect(html.contains("enctype=\"multipart/form-data\""))
        #expect(html.contains("value=\"nightly\""))
    }

    @Test("The import result shows the counts and links to the test")
    func importResult() throws {
        let result = ImportPage.Result(test: 5, testTitle: "ZAP nightly", reimport: true, created: 2, closed: 1, reactivated: 3, untouched: 9, duplicates: 0)
        let html = PageLayout.render(PageMocks.chrome(.imports, "Reimport finished"), content: ImportPage.View.result(result))
        try Golden.check(html, named: "import-result")
        #expect(html.contains("href=\"/test/5\""))
    }

    @Test("Product list and product detail with findings by severity and the SLA configuration")
    func products() throws {
        let list = ProductPages.ListModel(title: "Products", headers: ["Product type", "SLA configuration"],
                                          rows: [.init(id: 1, name: "Shop", columns: ["Web", "Default"])], linkPrefix: Links.products,
                                          actions: [.init(label: "Add product", path: Links.newProduct)])
        try Golden.check(PageLayout.render(PageMocks.chrome(.products, "Products"), content: ProductPages.View.list(list)), named: "product-list")
        let detail = ProductPages.DetailModel(
            title: "Shop", breadcrumbs: [.init(label: "Products", path: Links.products), .init(label: "Shop", path: Links.product(1))],
            facts: [.init(label: "SLA days", value: "Critical 7 days, High 30 days, Medium 90 days, Low 120 days")],
            severityCounts: PageMocks.dashboard.activeBySeverity, findingsQuery: "product=1",
            children: [.init(title: "Engagements", headers: ["Status"], rows: [.init(id: 3, name: "CI", columns: ["In Progress"])],
                             linkPrefix: "/engagement", actions: [])],
            actions: [])
        let html = PageLayout.render(PageMocks.chrome(.products, "Shop"), content: ProductPages.View.detail(detail))
        try Golden.check(html, named: "product-detail")
        #expect(html.contains("href=\"/finding?product=1&amp;severity=Critical&amp;status=active\"") || html.contains("href=\"/finding?product=1&severity=Critical&status=active\""))
    }

    @Test("Account pages: profile, change password with errors, and the key page with the exact header value")
    func account() throws {
        let profile = AccountPages.ProfileModel(username: "alice", firstName: "Alice", lastName: "", email: "not-an-email", isSuperuser: false,
                                                errors: ["email": ["Enter a valid email address."]], csrfToken: PageMocks.csrf)
        try Golden.check(PageLayout.render(PageMocks.chrome(.account, "Profile"), content: AccountPages.View.profile(profile)), named: "profile")
        let password = AccountPages.PasswordModel(errors: ["new_password1": PasswordRules.problems("123")], csrfToken: PageMocks.csrf)
        let passwordHTML = PageLayout.render(PageMocks.chrome(.account, "Change password"), content: AccountPages.View.password(password))
        try Golden.check(passwordHTML, named: "change-password")
        #expect(passwordHTML.contains("This password is too short."))
        let existing = APIToken(id: 7, userID: 2, name: "CI <pipeline>", prefix: "89abcdef", created: Date(timeIntervalSince1970: 1_780_000_000),
                                expires: nil, scope: .importOnly(products: ["Shop"]), lastUsed: Date(timeIntervalSince1970: 1_780_086_400),
                                lastUsedAddress: "10.0.0.5")
        let key = AccountPages.KeyModel(username: "alice", userID: 2, newKey: "0123456789abcdef0123456789abcdef01234567", tokens: [existing],
                                        maxAgeDays: 90, csrfToken: PageMocks.csrf)
        let keyHTML = PageLayout.render(PageMocks.chrome(.account, "API key"), content: AccountPages.View.key(key))
        try Golden.check(keyHTML, named: "api-key")
        #expect(keyHTML.contains("<code id=\"api-key\">Token 0123456789abcdef0123456789abcdef01234567</code>"))
        #expect(keyHTML.contains("data-copy=\"api-key\""))
        // Existing keys are listed by name and prefix only, with scope and last use, each with a revoke form.
        #expect(keyHTML.contains("CI &lt;pipeline&gt;"))
        #expect(keyHTML.contains("89abcdef…"))
        #expect(keyHTML.contains("Import into Shop"))
        #expect(keyHTML.contains("from 10.0.0.5"))
        #expect(keyHTML.contains("action=\"/api/key-v2/revoke\""))
        // Without a new key, no key is shown at all.
        let listed = AccountPages.KeyModel(username: "alice", userID: 2, newKey: nil, tokens: [existing], maxAgeDays: nil, csrfToken: PageMocks.csrf)
        let listedHTML = PageLayout.render(PageMocks.chrome(.account, "API key"), content: AccountPages.View.key(listed))
        #expect(!listedHTML.contains("id=\"api-key\""))
    }

    @Test("The user menu links to the API docs and the key page, and drops the key page when tokens are disabled")
    func userMenu() {
        let on = PageLayout.render(PageMocks.chrome(.dashboard, "x"), content: .empty)
        #expect(on.contains("href=\"/api/v2/oa3/swagger-ui/\">API v2 Docs</a>"))
        #expect(on.contains("href=\"/api/key-v2\">API Key</a>"))
        for link in ["/profile", "/change_password", "/logout", "/product", "/finding", "/imports", "/connectors"] {
            #expect(on.contains("href=\"\(link)\""), "missing \(link)")
        }
        let off = PageLayout.render(PageMocks.chrome(.dashboard, "x", tokens: false), content: .empty)
        #expect(!off.contains("/api/key-v2"))
    }

    @Test("Dynamic text and attribute values are escaped")
    func escaping() {
        let hostile = "\"><script>alert(1)</script>"
        let html = PageLayout.render(PageMocks.chrome(.dashboard, hostile), content: Components.textField("q", label: hostile, value: hostile))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
    }
}
