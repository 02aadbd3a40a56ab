import BulwarkCore
import Testing

/// Expected digests were computed with CPython exactly as DefectDojo does:
/// `hashlib.sha256(text.casefold().encode("utf-8").strip()).hexdigest()`.
@Suite("HashCode")
struct HashCodeTests {
    private func finding(
        title: String = "Reflected XSS", severity: Severity = .high, description: String = "Desc",
        cwe: Int? = 79, line: Int? = 12, filePath: String? = "src/a.js"
    ) -> Finding {
        var finding = Finding(title: title, severity: severity, description: description)
        finding.cwe = cwe
        finding.line = line
        finding.filePath = filePath
        return finding
    }

    @Test("legacy recipe concatenates title, cwe, line, file path and description")
    func legacyRecipe() {
        // Given a finding and the legacy configuration
        let finding = finding()

        // When hashing
        let text = HashCode.hashedText(for: finding, configuration: .legacy)
        let hash = HashCode.compute(for: finding, configuration: .legacy)

        // Then the text has no separators and the digest matches Python
        #expect(text == "Reflected XSS7912src/a.jsDesc")
        #expect(hash == "28570eb55c2c21ec2c7e503ba2213c83325e086f6d84d4f38b53ff2cd20331f1")
    }

    @Test("missing values are rendered as Python's None")
    func noneLiteral() {
        // Given a finding without cwe, line and file path
        let finding = finding(title: "Title", description: "", cwe: nil, line: nil, filePath: nil)

        // When hashing with the legacy recipe
        let text = HashCode.hashedText(for: finding, configuration: .legacy)

        // Then each missing value is the text "None"
        #expect(text == "TitleNoneNoneNone")
        #expect(HashCode.compute(for: finding, configuration: .legacy)
            == "43f85de2ef13ee5614e5b39dd84dcf876018a0fbe138482ab46cb90bb70dad6a")
    }

    @Test("configured fields are used in order (ZAP: title, cwe, severity)")
    func configuredFields() {
        // Given the ZAP configuration
        let zap = DedupeConfiguration.hashCode(fields: [.title, .cwe, .severity], allowsNullCWE: false)
        let finding = finding(title: "SQL Injection", cwe: 89)

        // When hashing
        let hash = HashCode.compute(for: finding, configuration: zap)

        // Then the digest equals DefectDojo's for "SQL Injection" + "89" + "High"
        #expect(HashCode.hashedText(for: finding, configuration: zap) == "SQL Injection89High")
        #expect(hash == "4bdd0b7a4e91362792bd054b880bdad6784a27b2d040d39ee8b5bb78bce6082b")
    }

    @Test("cwe 0 falls back to the legacy recipe when null CWEs are not allowed")
    func nullCWEFallback() {
        // Given a CWE-less finding
        let finding = finding(title: "Banner", severity: .info, description: "d", cwe: 0, line: nil, filePath: nil)

        // When hashing under a configuration that forbids or allows null CWEs
        let forbidden = HashCode.compute(
            for: finding, configuration: .hashCode(fields: [.title, .cwe, .severity], allowsNullCWE: false))
        let allowed = HashCode.compute(
            for: finding, configuration: .hashCode(fields: [.title, .cwe, .severity], allowsNullCWE: true))

        // Then the first uses the legacy text, the second the configured fields
        #expect(forbidden == "61971d9529210d981176ee3b58494b137aa20ce5f6c95417e2d5a85d5193882d")
        #expect(allowed == "ff97aa041ab3bdb1b1ae2271daefe5a7f16a5f2b5046dc928f290426e2bc2291")
    }

    @Test("vulnerability ids are de-duplicated and sorted")
    func vulnerabilityIDs() {
        // Given ids out of order with a duplicate
        var finding = Finding(title: "t", severity: .low)
        finding.vulnerabilityIDs = ["GHSA-x", "CVE-2022-2222", "CVE-2021-1111", "CVE-2022-2222"]
        let configuration = DedupeConfiguration.hashCode(fields: [.title, .vulnerabilityIDs])

        // When hashing
        let text = HashCode.hashedText(for: finding, configuration: configuration)

        // Then they appear once each, sorted
        #expect(text == "tCVE-2021-1111CVE-2022-2222GHSA-x")
        #expect(HashCode.compute(for: finding, configuration: configuration)
            == "d92718ad34010a97d4502170b8fbdd0c0914d75280c2bdffdab2873ee1a1cf04")
    }

    @Test("endpoints use their canonical form, keep report order and drop duplicates")
    func endpoints() throws {
        // Given endpoints whose canonical forms repeat
        var finding = Finding(title: "t", severity: .low)
        finding.endpoints = [
            try EndpointURL.parse("https://X.com:443/a"),
            try EndpointURL.parse("http://y.com/b"),
            try EndpointURL.parse("https://x.com/a"),
        ]
        let configuration = DedupeConfiguration.hashCode(fields: [.title, .endpoints])

        // When hashing
        let text = HashCode.hashedText(for: finding, configuration: configuration)

        // Then the default port is dropped, the host lower-cased and the duplicate removed
        #expect(text == "thttps://x.com/ahttp://y.com/b")
        #expect(HashCode.compute(for: finding, configuration: configuration)
            == "d72777308ac702d45e843018baf6946a7efef899b555170a82aec760ccf63156")
    }

    @Test("a non-empty service is appended")
    func serviceAppended() {
        // Given a finding stamped with a service
        var finding = finding()
        finding.service = "payments"

        // When hashing
        let hash = HashCode.compute(for: finding, configuration: .legacy)

        // Then the service is the last part of the text
        #expect(HashCode.hashedText(for: finding, configuration: .legacy).hasSuffix("Descpayments"))
        #expect(hash == "b773fd67800feb17d6a39d59dd520893a1050c5aa1886e7f5142cbbd652056b2")
    }

    @Test("Unicode case folding: ß → ss, Ü → ü, ǅ → ǆ, İ → i̇, ﬁ → fi")
    func unicodeCaseFolding() {
        // Given non-ASCII text in title and description
        let finding = finding(title: "Straße MÜNCHEN", description: "ǅ İ ﬁ", cwe: 0, line: nil, filePath: nil)

        // When hashing
        let hash = HashCode.compute(for: finding, configuration: .legacy)

        // Then the digest equals CPython's casefold + sha256
        #expect(hash == "046003077cf1ee55d119b80045356948d2b1ce26a5da2fcdd525c4327d13dd4f")
    }

    @Test("only leading and trailing ASCII whitespace of the whole text is stripped")
    func stripping() {
        // Given text with ASCII whitespace at both ends, and one with a leading no-break space
        let padded = finding(title: "  padded title\n", description: "tail \t\n", cwe: 0, line: nil, filePath: nil)
        let nbsp = finding(title: "\u{00A0}lead", description: "x", cwe: 0, line: nil, filePath: nil)

        // When hashing
        // Then ASCII whitespace is stripped and the no-break space is kept
        #expect(HashCode.compute(for: padded, configuration: .legacy)
            == "cb819120f843ec6ea0d4bf29bb3bdf75e7a45794b3217308f664ca9c243a2e8e")
        #expect(HashCode.compute(for: nbsp, configuration: .legacy)
            == "ee3d7d363ddf9f343665e3da9a1a12822fee0db6571e3a6cf29f9d4866facf88")
    }

    @Test("every allowed field renders like Python's str()")
    func everyField() {
        // Given a finding with every hashable field set (mitigation left empty)
        var finding = Finding(title: "T", severity: .low, description: "desc")
        finding.cwe = 1
        finding.line = 5
        finding.filePath = "f.py"
        finding.payload = "pl"
        finding.componentName = "comp"
        finding.componentVersion = "1.0"
        finding.uniqueIDFromTool = "uid"
        finding.vulnIDFromTool = "vid"
        let configuration = DedupeConfiguration.hashCode(fields: HashField.allCases)

        // When hashing with all fields in DefectDojo's allowed order
        let hash = HashCode.compute(for: finding, configuration: configuration)

        // Then the digest matches Python's
        #expect(hash == "d818cf2874f5d6608038b0c1f308e1958870ebf6f0560289a25ccae494af4719")
    }

    @Test("digests are 64 lower-case hex characters")
    func digestShape() {
        let hash = HashCode.digest(of: "anything")
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
