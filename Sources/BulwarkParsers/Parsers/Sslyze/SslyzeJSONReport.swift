import BulwarkCore

/// Reads SSLyze JSON output: SSLyze 3/4 (`server_info`, `scan_commands_results`, results inline)
/// and SSLyze 5+ (`server_location`, `scan_result`, each command's `status` and `result`).
///
/// Per server, in this order, at most one finding each: Heartbleed, CCS injection, session
/// renegotiation, SSL 2.0 / SSL 3.0 / TLS 1.0 / TLS 1.1 accepted, TLS 1.2 / TLS 1.3 suites outside
/// the BSI recommendations, certificate deployment problems. Every finding is Medium, static,
/// titled "<problem> (<host>:<port>)", with the server's host and port as endpoint.
enum SslyzeJSONReport {
    /// A server's identity: `host:port` text (`unknown host` without a host name) and endpoint.
    private struct Server {
        var label: String
        var endpoint: EndpointURL?
    }

    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        let root = LooseFields(object: try JSONReportDocument.rootObject(input, format: "SSLyze JSON report"), path: "$")
        let servers = try root.requiredArray("server_scan_results")
        var findings: [Finding] = []
        for (index, value) in servers.enumerated() {
            let node = try root.element(value, of: "server_scan_results", at: index)
            let server = server(of: node)
            // SSLyze 5+ writes a null scan_result for a server it could not reach.
            guard let commands = (node.object["scan_commands_results"] ?? node.object["scan_result"])?.objectValue else { continue }
            let results = JSONValue.object(commands)
            let problems: [Problem?] = [
                heartbleed(results),
                ccsInjection(results),
                renegotiation(results),
                weakProtocol(results, key: "ssl_2_0_cipher_suites", name: "SSL 2.0"),
                weakProtocol(results, key: "ssl_3_0_cipher_suites", name: "SSL 3.0"),
                weakProtocol(results, key: "tls_1_0_cipher_suites", name: "TLS 1.0"),
                weakProtocol(results, key: "tls_1_1_cipher_suites", name: "TLS 1.1"),
                unrecommendedSuites(results, key: "tls_1_2_cipher_suites", name: "TLS 1.2", recommended: SslyzeCipherLists.recommendedTLS12),
                unrecommendedSuites(results, key: "tls_1_3_cipher_suites", name: "TLS 1.3", recommended: SslyzeCipherLists.recommendedTLS13),
                certificateProblems(results),
            ]
            for case let problem? in problems {
                findings.append(problem.finding(for: server))
            }
        }
        return findings
    }

    /// `server_info.server_location` (SSLyze 3/4) or `server_location` (5+): host name and port.
    private static func server(of node: LooseFields) -> Server {
        let location: JSONValue?
        if let info = node.object["server_info"] {
            location = info.objectValue?["server_location"]
        } else {
            location = node.object["server_location"]
        }
        guard let hostname = location?.member("hostname") else { return Server(label: "unknown host", endpoint: nil) }
        let host = hostname.pythonString
        let port = location?.member("port")
        let label = host + (port.map { ":" + $0.pythonString } ?? "")
        return Server(label: label, endpoint: EndpointURL(host: host, port: port?.looseInteger))
    }

    /// One problem found on a server, before the server's name is put into it.
    private struct Problem {
        var title: String
        /// The description after the server's label.
        var detail: String
        var vulnerabilityID: String?
        var references: String?

        func finding(for server: Server) -> Finding {
            var finding = Finding(title: "\(title) (\(server.label))", severity: .medium, description: server.label + detail)
            finding.references = references
            finding.dynamicFinding = false
            finding.staticFinding = true
            if let vulnerabilityID { finding.vulnerabilityIDs = [vulnerabilityID] }
            if let endpoint = server.endpoint { finding.endpoints = [endpoint] }
            return finding
        }
    }

    /// A command's result: the command object itself (3/4) when it holds `field`, else its
    /// `result` object (5+); `nil` when the command is absent, not scheduled or has neither.
    private static func command(_ results: JSONValue, _ key: String, holding field: String) -> JSONValue? {
        guard let command = results.member(key), command.objectValue != nil else { return nil }
        if command.member("status") == .string("NOT_SCHEDULED") { return nil }
        if command.objectValue?.contains(field) == true { return command }
        guard let result = command.member("result"), result.objectValue?.contains(field) == true else { return nil }
        return result
    }

    private static func heartbleed(_ results: JSONValue) -> Problem? {
        guard let result = command(results, "heartbleed", holding: "is_vulnerable_to_heartbleed"),
              result.member("is_vulnerable_to_heartbleed")?.isTruthy == true else { return nil }
        return Problem(title: "Heartbleed", detail: " is vulnerable to heartbleed", vulnerabilityID: "CVE-2014-0160")
    }

    private static func ccsInjection(_ results: JSONValue) -> Problem? {
        guard let result = command(results, "openssl_ccs_injection", holding: "is_vulnerable_to_ccs_injection"),
              result.member("is_vulnerable_to_ccs_injection")?.isTruthy == true else { return nil }
        return Problem(title: "CCS injection", detail: " is vulnerable to OpenSSL CCS injection", vulnerabilityID: "CVE-2014-0224")
    }

    private static func renegotiation(_ results: JSONValue) -> Problem? {
        guard let command = results.member("session_renegotiation"), let object = command.objectValue,
              command.member("status") != .string("NOT_SCHEDULED") else { return nil }
        let detail = " has problems with session renegotiation:"
        if object.contains("accepts_client_renegotiation"), object.contains("supports_secure_renegotiation") {
            // SSLyze 3/4: both flags in one finding.
            var text = detail
            if command.member("accepts_client_renegotiation")?.isTruthy == true {
                text += "\n - Client renegotiation is accepted"
            }
            if command.member("supports_secure_renegotiation")?.isTruthy != true {
                text += "\n - Secure session renegotiation is not supported"
            }
            return text == detail ? nil : Problem(title: "Session renegotiation", detail: text)
        }
        guard let result = command.member("result"), let fields = result.objectValue else { return nil }
        if fields.contains("is_vulnerable_to_client_renegotiation_dos"),
           result.member("is_vulnerable_to_client_renegotiation_dos")?.isTruthy == true {
            return Problem(title: "Is vulnerable to client negotiation DoS", detail: detail)
        }
        if fields.contains("supports_secure_renegotiation"), result.member("supports_secure_renegotiation")?.isTruthy != true {
            return Problem(title: "Does not support secure negotiations", detail: detail)
        }
        return nil
    }

    /// The accepted suites of a protocol command: the inline list (3/4) when it is not empty, else
    /// the list in `result` (5+); `nil` when neither has any.
    private static func acceptedSuites(_ command: JSONValue) -> [JSONValue]? {
        if let inline = command.member("accepted_cipher_suites")?.arrayValue, !inline.isEmpty { return inline }
        guard let suites = command.member("result")?.member("accepted_cipher_suites")?.arrayValue, !suites.isEmpty else { return nil }
        return suites
    }

    private static func weakProtocol(_ results: JSONValue, key: String, name: String) -> Problem? {
        guard let command = results.member(key), command.objectValue != nil,
              command.member("status") != .string("NOT_SCHEDULED"),
              acceptedSuites(command) != nil else { return nil }
        return Problem(
            title: "\(name) not recommended", detail: " accepts \(name) connections", references: SslyzeCipherLists.bsiReference)
    }

    private static func unrecommendedSuites(_ results: JSONValue, key: String, name: String, recommended: Set<String>) -> Problem? {
        guard let command = results.member(key), command.objectValue != nil,
              command.member("status") != .string("NOT_SCHEDULED"),
              let suites = acceptedSuites(command) else { return nil }
        var detail = " accepts unrecommended cipher suites for \(name):"
        var found = false
        for suite in suites {
            guard let suiteName = suite.member("cipher_suite")?.member("name")?.pythonString,
                  !recommended.contains(suiteName) else { continue }
            found = true
            detail += "\n - " + suiteName
        }
        guard found else { return nil }
        return Problem(title: "Unrecommended cipher suites for \(name)", detail: detail, references: SslyzeCipherLists.bsiReference)
    }

    private static func certificateProblems(_ results: JSONValue) -> Problem? {
        guard let command = results.member("certificate_info"), let object = command.objectValue,
              command.member("status") != .string("NOT_SCHEDULED") else { return nil }
        let deployments: [JSONValue]
        if object.contains("certificate_deployments") {
            deployments = command.list("certificate_deployments")
        } else if object.contains("result") {
            deployments = command.member("result")?.list("certificate_deployments") ?? []
        } else {
            return nil
        }
        // The first deployment with a problem is reported.
        for deployment in deployments {
            var detail = " has problems in certificate deployments:"
            var problem = false
            if deployment.objectValue?.contains("leaf_certificate_subject_matches_hostname") == true,
               deployment.member("leaf_certificate_subject_matches_hostname")?.isTruthy != true {
                problem = true
                detail += "\n - Certificate subject does not match hostname"
            }
            for validation in deployment.list("path_validation_results") {
                guard let error = validation.member("openssl_error_string") else { continue }
                problem = true
                detail += "\n - " + error.pythonString
                if let store = validation.member("trust_store") {
                    if let storeName = store.member("name") { detail += " for trust store " + storeName.pythonString }
                    if let version = store.member("version") { detail += ", version " + version.pythonString }
                }
            }
            if problem { return Problem(title: "Problems in certificate deployments", detail: detail) }
        }
        return nil
    }
}
