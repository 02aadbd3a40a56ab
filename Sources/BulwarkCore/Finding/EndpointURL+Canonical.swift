extension EndpointURL {
    /// The endpoint as DefectDojo's `str(Endpoint)` renders it; this text enters `hash_code`.
    ///
    /// With a host, the URL is normalised the way `hyperlink` does it: scheme and host
    /// lower-cased, the scheme's default port dropped (`https://x:443` → `https://x`),
    /// percent-escapes normalised, password hidden, and no `scheme://` when there is no
    /// protocol. Without a host, or when `hyperlink` would reject a part, the parts are joined
    /// as given: `protocol://userinfo@host:port/path?query#fragment`.
    public var canonicalString: String {
        normalizedURLText() ?? plainText
    }

    /// `protocol://userinfo@host:port/path?query#fragment`, omitting empty parts.
    var plainText: String {
        var text = ""
        if let value = self.protocol, !value.isEmpty { text += value + "://" }
        if let value = userinfo, !value.isEmpty { text += value + "@" }
        if let value = host, !value.isEmpty { text += value }
        if let value = port, value != 0 { text += ":\(value)" }
        if let value = path, !value.isEmpty {
            text += (value.hasPrefix("/") ? "" : "/") + value
        }
        if let value = query, !value.isEmpty { text += "?" + value }
        if let value = fragment, !value.isEmpty { text += "#" + value }
        return text
    }

    private func normalizedURLText() -> String? {
        guard let host, !host.isEmpty else { return nil }
        // hyperlink cannot build a URL without a scheme, so DefectDojo uses a placeholder.
        let placeholderScheme = "dummy-scheme"
        let scheme = (self.protocol?.isEmpty == false) ? self.protocol! : placeholderScheme
        let pathSegments = (path?.isEmpty == false) ? path!.split(separator: "/", omittingEmptySubsequences: false).map(String.init) : []
        let queryPairs = (query?.isEmpty == false) ? URLParts.queryPairs(query!) : []
        do {
            let url = try HyperlinkURL(
                scheme: scheme, host: host, path: pathSegments, query: queryPairs,
                fragment: fragment ?? "", port: port, rooted: nil, userinfo: userinfo ?? "",
                usesNetloc: nil)
            let text = try url.normalized(normalizingPath: path?.isEmpty == false).toURI().toText()
            if self.protocol?.isEmpty == false {
                return text
            }
            let prefix = placeholderScheme + "://"
            guard text.hasPrefix(prefix) else { return nil }
            return String(text.dropFirst(prefix.count))
        } catch {
            return nil
        }
    }
}
