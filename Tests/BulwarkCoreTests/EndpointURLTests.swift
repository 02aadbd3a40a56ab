import BulwarkCore
import Testing

/// Expected values come from running DefectDojo's `Endpoint.from_uri` and `str(Endpoint)`
/// (hyperlink 21.0) on the same inputs.
@Suite("EndpointURL")
struct EndpointURLTests {
    struct Case: Sendable, CustomStringConvertible {
        let uri: String
        let expected: EndpointURL
        let canonical: String
        var description: String { uri }
    }

    static let parseCases: [Case] = [
        Case(uri: "http://172.17.0.2", expected: EndpointURL(protocol: "http", host: "172.17.0.2", port: 80),
             canonical: "http://172.17.0.2"),
        Case(uri: "//www.example.com", expected: EndpointURL(host: "www.example.com"), canonical: "www.example.com"),
        Case(uri: "//127.0.0.1:80", expected: EndpointURL(host: "127.0.0.1", port: 80), canonical: "127.0.0.1:80"),
        Case(uri: "//foo.bar/path", expected: EndpointURL(host: "foo.bar", path: "path"), canonical: "foo.bar/path"),
        Case(uri: "HTTP://Ex.com:80/a%20b/?x=1&y#f",
             expected: EndpointURL(protocol: "HTTP", host: "ex.com", port: 80, path: "a b/", query: "x=1&y", fragment: "f"),
             canonical: "http://ex.com/a%20b/?x=1&y#f"),
        Case(uri: "https://u:p@h:443/", expected: EndpointURL(protocol: "https", userinfo: "u:p", host: "h", port: 443),
             canonical: "https://u:@h"),
        Case(uri: "https://A.COM:443/x/../y/./z?b=%41%2f&c#Frag%7e",
             expected: EndpointURL(protocol: "https", host: "a.com", port: 443, path: "x/../y/./z", query: "b=A/&c", fragment: "Frag~"),
             canonical: "https://a.com/y/z?b=A/&c#Frag~"),
        Case(uri: "http://h/a?x=1+2", expected: EndpointURL(protocol: "http", host: "h", port: 80, path: "a", query: "x=1 2"),
             canonical: "http://h/a?x=1%202"),
        Case(uri: "ftp://h:22/", expected: EndpointURL(protocol: "ftp", host: "h", port: 22), canonical: "ftp://h:22"),
        // IDNA rejects an IPv6 literal as a host name, so DefectDojo falls back to plain joining.
        Case(uri: "http://[::1]:8080/x", expected: EndpointURL(protocol: "http", host: "::1", port: 8080, path: "x"),
             canonical: "http://::1:8080/x"),
        // "_" is not valid IDNA either: plain joining again, which keeps the default port.
        Case(uri: "http://h_x.com/a", expected: EndpointURL(protocol: "http", host: "h_x.com", port: 80, path: "a"),
             canonical: "http://h_x.com:80/a"),
        Case(uri: "http://münchen.de/straße", expected: EndpointURL(protocol: "http", host: "münchen.de", port: 80, path: "straße"),
             canonical: "http://xn--mnchen-3ya.de/stra%C3%9Fe"),
    ]

    @Test("parse mirrors Endpoint.from_uri and canonicalString mirrors str(Endpoint)", arguments: parseCases)
    func parseAndCanonical(testCase: Case) throws {
        // Given a URL from a report
        // When parsing it
        let endpoint = try EndpointURL.parse(testCase.uri)

        // Then the parts and the canonical text match DefectDojo's
        #expect(endpoint == testCase.expected)
        #expect(endpoint.canonicalString == testCase.canonical)
    }

    @Test("DAST report URLs: IPv6 with and without port, scheme-less hosts, a bare name, a host:port that reads as a scheme", arguments: [
        ("https://[2001:db8::1]/", EndpointURL(protocol: "https", host: "2001:db8::1", port: 443)),
        ("http://[2001:db8::2]:8080/items/a%20b", EndpointURL(protocol: "http", host: "2001:db8::2", port: 8080, path: "items/a b")),
        ("//[2001:db8::3]:8443", EndpointURL(host: "2001:db8::3", port: 8443)),
        ("//portal.example.test:8443", EndpointURL(host: "portal.example.test", port: 8443)),
        ("example.test", EndpointURL(path: "example.test")),
        ("app.example.test:8080/path", EndpointURL(protocol: "app.example.test", path: "8080/path")),
    ])
    func reportURLs(uri: String, expected: EndpointURL) throws {
        // Given a URL as Burp, Acunetix or Netsparker reports write them
        // When parsed like Endpoint.from_uri
        let endpoint = try EndpointURL.parse(uri)

        // Then the parts are hyperlink's: no scheme means no default port, and text before the
        // first colon is a scheme when nothing says otherwise
        #expect(endpoint == expected)
    }

    @Test("unusable URLs are rejected", arguments: ["http://h.com:abc/", "http://h.com:/", "http://[zz::1]/"])
    func rejects(uri: String) {
        #expect(throws: EndpointURL.ParseFailure.self) { try EndpointURL.parse(uri) }
    }

    @Test("endpoints built from parts render without a host as plain joined text")
    func partsWithoutHost() {
        // Given an endpoint with only a path and query
        let endpoint = EndpointURL(protocol: "https", path: "/api", query: "a=1")

        // When rendering
        // Then DefectDojo's fallback formatting is used
        #expect(endpoint.canonicalString == "https:///api?a=1")
        #expect(EndpointURL(host: "h", port: 8080).canonicalString == "h:8080")
    }

    @Test("cleaned() strips leading slashes, ? and # and empties, like Endpoint.clean()")
    func cleaning() {
        // Given raw parts
        let raw = EndpointURL(protocol: "", host: "h", path: "//a/b", query: "?q=1", fragment: "#")

        // When cleaning
        let cleaned = raw.cleaned()

        // Then the stored forms are DefectDojo's
        #expect(cleaned == EndpointURL(host: "h", path: "a/b", query: "q=1"))
        #expect(EndpointURL(host: "").validationProblems == ["Host must not be empty"])
        #expect(EndpointURL(protocol: "h t", host: "ok.com", port: 70000).validationProblems.count == 2)
        #expect(EndpointURL(protocol: "https", host: "example.com", port: 443).validationProblems.isEmpty)
    }
}
