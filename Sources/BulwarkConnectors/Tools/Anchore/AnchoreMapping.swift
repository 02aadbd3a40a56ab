import BulwarkCore
import Foundation

/// Anchore image vulnerabilities to Core findings (spec §11).
enum AnchoreMapping {
    /// `Critical|High|Medium|Low` as named; `Negligible`, `Unknown` and anything else are Info.
    static func severity(_ raw: String?) -> Severity {
        switch raw?.lowercased() {
        case "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    /// The image repository without its tag (`registry/team/api:1.2` → `registry/team/api`), so a rebuilt image keeps its findings' identity.
    static func repository(tag: String?, digest: String) -> String {
        guard let tag, !tag.isEmpty else { return digest }
        let withoutDigest = tag.split(separator: "@", maxSplits: 1).first.map(String.init) ?? tag
        guard let slash = withoutDigest.lastIndex(of: "/") ?? withoutDigest.indices.first,
              let colon = withoutDigest[slash...].lastIndex(of: ":") else { return withoutDigest }
        return String(withoutDigest[..<colon])
    }

    /// A path worth showing: not Anchore's placeholders for OS package databases.
    static func path(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw != "pkgdb", raw != "None" else { return nil }
        return raw
    }

    static func finding(_ item: AnchoreAPI.Vulnerability, image: AnchoreAPI.Image, willNotFixAsRiskAccepted: Bool) -> Finding {
        let digest = image.image_digest ?? "unknown"
        let name = item.package_name ?? item.package ?? "unknown"
        let version = item.package_version ?? ""
        var finding = Finding(title: FindingText.truncated("\(item.vuln) - \(name) \(version)".trimmingCharacters(in: .whitespaces)),
                              severity: severity(item.severity))
        finding.description = "\(item.vuln) in \(name) \(version) of image \(image.tag ?? digest)." + FindingText.details([
            ("Package", item.package), ("Type", item.package_type), ("Path", path(item.package_path)),
            ("Feed", [item.feed, item.feed_group].compactMap { $0 }.joined(separator: " / ")), ("Image", image.tag), ("Digest", digest),
            ("Inherited from base image", item.inherited_from_base.map { $0 ? "yes" : "no" }),
            ("Will not fix", item.will_not_fix == true ? "yes (the distribution will not fix it)" : nil),
        ])
        if let fix = item.fix, !fix.isEmpty, fix != "None" {
            finding.mitigation = "Upgrade to \(fix)."
            finding.fixVersion = fix
            finding.fixAvailable = true
        } else {
            finding.fixAvailable = false
        }
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs([item.vuln] + (item.nvd_data ?? []).map(\.id))
        if let score = item.nvd_data?.first?.cvss_v3?.base_score, score > 0 { finding.cvssV3Score = score }
        finding.componentName = name
        finding.componentVersion = item.package_version
        finding.filePath = path(item.package_path)
        finding.uniqueIDFromTool = "\(repository(tag: image.tag, digest: digest)):\(item.vuln):\(name):\(item.package_path ?? "")"
        finding.vulnIDFromTool = item.vuln
        finding.date = ToolTimestamp.day(item.detected_at)
        finding.references = item.url
        finding.staticFinding = true
        finding.dynamicFinding = false
        if willNotFixAsRiskAccepted, item.will_not_fix == true {
            finding.active = false
            finding.verified = true
            finding.riskAccepted = true
        }
        return finding
    }
}
