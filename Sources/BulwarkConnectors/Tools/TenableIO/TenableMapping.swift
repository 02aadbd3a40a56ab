import BulwarkCore
import Foundation

/// Tenable export items to Core findings (spec §8).
enum TenableMapping {
    static func severity(_ item: TenableAPI.Vulnerability) -> Severity {
        if let named = item.severity.flatMap({ Severity(rawValue: $0.capitalized) }) { return named }
        switch item.severity_id {
        case 4: return .critical
        case 3: return .high
        case 2: return .medium
        case 1: return .low
        default: return .info
        }
    }

    /// The record an item belongs to: its scan's schedule uuid (the `/scans` record key), else the scan uuid.
    static func recordID(_ item: TenableAPI.Vulnerability) -> String? {
        item.scan?.schedule_uuid ?? item.scan?.uuid
    }

    static func finding(_ item: TenableAPI.Vulnerability) -> Finding {
        let plugin = item.plugin
        let pluginID = plugin?.id?.description ?? "unknown"
        let asset = item.asset
        let host = asset?.fqdn ?? asset?.hostname ?? asset?.ipv4
        let port = item.port?.port ?? 0
        let proto = (item.port?.protocol ?? "tcp").lowercased()
        var finding = Finding(title: FindingText.truncated(plugin?.name ?? "Plugin \(pluginID)"), severity: severity(item))
        var text = [plugin?.synopsis, plugin?.description].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n\n")
        if let output = item.output, !output.isEmpty { text += (text.isEmpty ? "" : "\n\n") + "**Plugin output**\n\n```\n\(output)\n```" }
        if text.isEmpty { text = finding.title }
        finding.description = text + FindingText.details([
            ("Asset", [host, asset?.ipv4 == host ? nil : asset?.ipv4].compactMap { $0 }.joined(separator: " ")),
            ("Operating system", asset?.operating_system?.joined(separator: ", ")),
            ("Port", port > 0 ? "\(port)/\(proto)" + (item.port?.service.map { " (\($0))" } ?? "") : nil),
            ("Plugin", "\(pluginID) \(plugin?.family.map { "(\($0))" } ?? "")"), ("State", item.state),
        ])
        if let solution = plugin?.solution, !solution.isEmpty, solution.lowercased() != "n/a" { finding.mitigation = solution }
        finding.vulnerabilityIDs = FindingText.vulnerabilityIDs(plugin?.cve ?? [])
        finding.cvssV3Score = plugin?.cvss3_base_score
        if let host {
            finding.endpoints = [EndpointURL(protocol: proto, host: host, port: port > 0 ? port : nil)]
        }
        finding.uniqueIDFromTool = "\(asset?.uuid ?? host ?? "unknown"):\(pluginID):\(port):\(proto)"
        finding.vulnIDFromTool = pluginID
        finding.date = item.first_found?.date.map { CalendarDate(utcDayOf: $0) }
        finding.references = ((plugin?.see_also ?? []) + ["https://www.tenable.com/plugins/nessus/\(pluginID)"]).joined(separator: "\n")
        finding.staticFinding = false
        finding.dynamicFinding = true
        if item.state?.uppercased() == "FIXED" {
            finding.active = false
            finding.isMitigated = true
            finding.mitigated = item.last_fixed?.date ?? item.last_found?.date
        } else if item.severity_modification_type?.uppercased() == "ACCEPTED" {
            finding.active = false
            finding.verified = true
            finding.riskAccepted = true
        }
        return finding
    }
}
