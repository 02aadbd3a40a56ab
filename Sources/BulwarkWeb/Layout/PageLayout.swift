import Plot

/// The frame of every signed-in page: skip link, header with the main menu and the user menu,
/// the flash message, the page's content in `<main>`, and a footer. Styles and the one small
/// script are files served by Bulwark (no inline script, so a strict CSP holds).
enum PageLayout {
    /// The complete document for `content` inside the frame.
    static func render(_ chrome: PageChrome, content: Node<Body>) -> String {
        let document = PlotHTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(chrome.title) · Bulwark"),
                .link(.rel(.stylesheet), .href(Links.stylesheet)),
                .script(.src(Links.script), .defer())
            ),
            .body(
                .a(.attr("class", "skip"), .attr("href", "#content"), .txt("Skip to content")),
                header(chrome),
                .el("main", .attr("id", "content"), .attr("tabindex", "-1"), flash(chrome.flash), content),
                .footer(.p(.txt("Bulwark · DefectDojo API v2 compatible")))
            )
        )
        return document.render()
    }

    static func header(_ chrome: PageChrome) -> Node<Body> {
        let sections: [Node<Body>] = PageSection.menu.map { section in
            let current = section == chrome.section
            return .el("li", .a(.attr("href", section.path), .when(current, .attr("aria-current", "page")), .txt(section.label)))
        }
        var userLinks: [(String, String)] = [("API v2 Docs", Links.apiDocs)]
        if chrome.apiTokensEnabled { userLinks.append(("API Key", Links.apiKey)) }
        userLinks += [("Profile", Links.profile), ("Change password", Links.changePassword), ("Logout", Links.logout)]
        let userMenu: [Node<Body>] = userLinks.map { .el("li", .a(.attr("href", $0.1), .txt($0.0))) }
        return .header(
            .attr("class", "site"),
            .a(.attr("class", "brand"), .attr("href", Links.dashboard), .txt("Bulwark")),
            .nav(.attr("aria-label", "Main"), .el("ul", .attr("class", "menu"), .all(sections))),
            .el("details", .attr("class", "user-menu"),
                .el("summary", .attr("aria-label", "User menu for \(chrome.username)"), .txt(chrome.username)),
                .nav(.attr("aria-label", "User"), .el("ul", .all(userMenu))))
        )
    }

    static func flash(_ flash: Flash?) -> Node<Body> {
        guard let flash else { return .empty }
        return .el("p", .attr("class", "flash \(flash.kind.rawValue)"), .attr("role", flash.kind == .error ? "alert" : "status"), .txt(flash.text))
    }
}
