import BulwarkCore

/// Reads Prowler OCSF JSON output (a list of OCSF Detection Findings); `PASS` results are skipped
/// and results with the same description and title merged (descriptions appended).
enum ProwlerOCSFReport {
    static func findings(in input: ScanInput) throws(ParseError) -> [Finding] {
        guard case .array(let nodes) = try JSONReportDocument.load(input) else {
            throw ParseError(
                .unsupportedFormat, "The report is JSON but not Prowler OCSF JSON: expected a list of findings.",
                position: .jsonPath("$"))
        }
        var findings: [Finding] = []
        var indexByKey: [String: Int] = [:]
        for (index, value) in nodes.enumerated() {
            guard let object = value.objectValue else {
                throw ParseError(.invalidValue, "Each finding must be an object.", position: .jsonPath("$[\(index)]"))
            }
            let node = LooseFields(object: object, path: "$[\(index)]")
            if node.object["status_code"] == .string("PASS") { continue }
            let finding = try finding(from: node)
            let key = finding.description + finding.title
            if let first = indexByKey[key] {
                findings[first].description += "\n" + finding.description
            } else {
                indexByKey[key] = findings.count
                findings.append(finding)
            }
        }
        return findings
    }

    private static func finding(from node: LooseFields) throws(ParseError) -> Finding {
        let cloudType = try cloudType(of: node)
        let info = try object(node, "finding_info")
        let product = try object(try object(node, "metadata"), "product")
        var description = "**Cloud Type** : " + cloudType
        description += "\n\n**Finding Description** : " + (try text(info, "desc", default: "N/A"))
        description += "\n\n**Product Name** : " + (try text(product, "name", default: "N/A"))
        description += "\n\n**Status Detail** : " + (try text(node, "status_detail", default: "N/A"))
        description += "\n\n**Finding Created Time** : " + (try text(info, "created_time_dt", default: "N/A"))
        description += try cloudMetadata(of: node, cloudType: cloudType)

        let title = try text(node, "message", default: "")
        let severity: Severity
        switch node.object["severity"] {
        case nil, .null?: severity = .info
        case let value? where !value.isTruthy: severity = .info
        case .string(let text)?: severity = ProwlerParser.severity(text)
        default: throw ParseError(.invalidValue, "\"severity\" must be text.", position: node.position("severity"))
        }
        var finding = Finding(title: title, severity: severity, description: description)

        let remediation = try object(node, "remediation")
        let remediationReferences = try strings(remediation, "references")
        finding.mitigation = "**Remediation Description** : " + (try text(remediation, "desc", default: "N/A"))
            + "\n\n**Remediation References** : " + remediationReferences.joined(separator: ", ")
        switch node.object["risk_details"] {
        case nil: finding.impact = ""
        case .null?: finding.impact = nil
        case let value?: finding.impact = value.pythonString
        }
        let unmapped = try object(node, "unmapped")
        var references = "**Related URL** : " + (try text(unmapped, "related_url", default: ""))
        let compliance = try object(unmapped, "compliance")
        for (framework, _) in compliance.object.members {
            references += "\n\n**\(framework)** : " + (try strings(compliance, framework)).joined(separator: ", ")
        }
        finding.references = references
        finding.staticFinding = false
        finding.dynamicFinding = true
        return finding
    }

    /// `AWS`, `AZURE` or `GCP` from `cloud.provider` (exact lower-case spellings only, as
    /// DefectDojo compares them), else `KUBERNETES` when a resource has a namespace, else `N/A`.
    private static func cloudType(of node: LooseFields) throws(ParseError) -> String {
        let cloud = try object(node, "cloud")
        if let provider = cloud.object["provider"], provider.isTruthy {
            switch provider {
            case .string("gcp"): return "GCP"
            case .string("aws"): return "AWS"
            case .string("azure"): return "AZURE"
            default: break
            }
        }
        for resource in try resources(of: node) {
            if try namespaceMetadata(of: resource).namespace != nil { return "KUBERNETES" }
        }
        return "N/A"
    }

    /// The region line of a cloud account, or the pod and namespace of the first resource.
    private static func cloudMetadata(of node: LooseFields, cloudType: String) throws(ParseError) -> String {
        switch cloudType {
        case "GCP", "AWS", "AZURE":
            return "\n\n**\(cloudType) Region** : " + (try text(try object(node, "cloud"), "region", default: "N/A"))
        case "KUBERNETES":
            guard let resource = try resources(of: node).first else { return "" }
            let metadata = try namespaceMetadata(of: resource)
            var text = ""
            if let pod = metadata.pod { text += "\n\n**Pod Name** : " + pod }
            if let namespace = metadata.namespace { text += "\n\n**Namespace** : " + namespace }
            return text
        default:
            return ""
        }
    }

    private static func resources(of node: LooseFields) throws(ParseError) -> [LooseFields] {
        guard let items = node.object["resources"] else { return [] }
        guard case .array(let values) = items else {
            throw ParseError(.invalidValue, "\"resources\" must be a list.", position: node.position("resources"))
        }
        var resources: [LooseFields] = []
        for (index, value) in values.enumerated() {
            resources.append(try node.element(value, of: "resources", at: index))
        }
        return resources
    }

    /// `data.metadata.name` and `data.metadata.namespace` of a resource, when present and not null.
    private static func namespaceMetadata(of resource: LooseFields) throws(ParseError) -> (pod: String?, namespace: String?) {
        let metadata = try object(try object(resource, "data"), "metadata")
        return (try optionalText(metadata, "name"), try optionalText(metadata, "namespace"))
    }

    // MARK: dict.get with the types DefectDojo's string building needs

    /// `node.get(key, {})`: absent gives an empty object; anything but an object is an error.
    private static func object(_ node: LooseFields, _ key: String) throws(ParseError) -> LooseFields {
        switch node.object[key] {
        case nil: return LooseFields(object: JSONObject(), path: node.path + JSONPath.member(key))
        case .object(let nested)?: return LooseFields(object: nested, path: node.path + JSONPath.member(key))
        default: throw ParseError(.invalidValue, "\"\(key)\" must be an object.", position: node.position(key))
        }
    }

    /// `node.get(key, default)` joined into text: absent gives the default; it must be text.
    private static func text(_ node: LooseFields, _ key: String, default fallback: String) throws(ParseError) -> String {
        guard let value = node.object[key] else { return fallback }
        guard case .string(let text) = value else {
            throw ParseError(.invalidValue, "\"\(key)\" must be text.", position: node.position(key))
        }
        return text
    }

    /// A member that may be absent or null, otherwise text.
    private static func optionalText(_ node: LooseFields, _ key: String) throws(ParseError) -> String? {
        guard let value = node.object[key], !value.isNull else { return nil }
        return try text(node, key, default: "")
    }

    /// `", ".join(node.get(key, []))`'s operands: a list of texts, or one text read as its
    /// characters (Python iterates a string).
    private static func strings(_ node: LooseFields, _ key: String) throws(ParseError) -> [String] {
        switch node.object[key] {
        case nil: return []
        case .string(let text)?: return text.unicodeScalars.map { String($0) }
        case .array(let items)?:
            var texts: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw ParseError(.invalidValue, "Each element of \"\(key)\" must be text.", position: node.position(key, index))
                }
                texts.append(text)
            }
            return texts
        default:
            throw ParseError(.invalidValue, "\"\(key)\" must be a list of texts.", position: node.position(key))
        }
    }
}
