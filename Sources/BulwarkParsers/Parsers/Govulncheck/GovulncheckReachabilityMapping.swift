import BulwarkCore
import Foundation

/// `Govulncheck Scanner V2`: one finding per (OSV id, module) among the stream's `finding`
/// records, in order of first appearance; `osv` records only supply the advisory text.
///
/// The sink (first trace entry) decides the module, version and reachability: a function means
/// `symbol` (High), a package `package` (Low), otherwise `module` (Info); the highest level seen
/// for the pair wins. Mapping: "<id> - <module>" → title; "<id>:<module>" →
/// unique_id_from_tool; first alias → cve; module/version → component_name/version; summary,
/// module, reachability, details and traces → description; references and the database URL →
/// references; the first non-empty fixed_version → fix_version, fix_available.
enum GovulncheckReachabilityMapping {
    private enum Level: Int {
        case module = 1, package, symbol

        var name: String {
            switch self {
            case .module: "module"
            case .package: "package"
            case .symbol: "symbol"
            }
        }

        var severity: Severity {
            switch self {
            case .module: .info
            case .package: .low
            case .symbol: .high
            }
        }
    }

    private struct Group {
        var osvID: String
        var module: String
        var version: String
        var level: Level
        var fixedVersion: String
        var traces: [[JSONValue]]
    }

    static func findings(_ records: [JSONValue]) throws(ParseError) -> [Finding] {
        var advisories: [String: JSONObject] = [:]
        for record in records {
            if let osv = record["osv"]?.objectValue, let id = osv["id"] { advisories[id.pythonString] = osv }
        }
        var groups: [Group] = []
        var positions: [String: Int] = [:]
        for record in records {
            guard let finding = record["finding"]?.objectValue else { continue }
            let osvID = finding["osv"]?.pythonString ?? "None"
            let trace = finding["trace"].flatMap { $0.isTruthy ? $0.arrayValue : nil } ?? [.object(JSONObject())]
            let sink = trace.first?.objectValue ?? JSONObject()
            let module = sink["module"]?.pythonString ?? "Unknown"
            let level: Level = sink.contains("function") ? .symbol : sink.contains("package") ? .package : .module
            let fixed = finding["fixed_version"]?.pythonString ?? ""
            // The pair is written into one string with a separator no module path contains.
            let key = osvID + "\u{0}" + module
            let position: Int
            if let existing = positions[key] {
                position = existing
                if level.rawValue > groups[position].level.rawValue { groups[position].level = level }
                if groups[position].fixedVersion.isEmpty { groups[position].fixedVersion = fixed }
            } else {
                position = groups.count
                positions[key] = position
                groups.append(Group(
                    osvID: osvID, module: module, version: sink["version"]?.pythonString ?? "", level: level,
                    fixedVersion: fixed, traces: []))
            }
            if trace.count > 1 || sink.contains("function") { groups[position].traces.append(trace) }
        }
        return groups.map { finding(for: $0, advisory: advisories[$0.osvID] ?? JSONObject()) }
    }

    private static func finding(for group: Group, advisory: JSONObject) -> Finding {
        let summary = advisory["summary"]?.pythonString ?? ""
        let details = advisory["details"]?.pythonString ?? ""
        let databaseURL = advisory["database_specific"]?["url"]?.pythonString ?? ""
        var parts = [
            "**Summary:** \(summary.isEmpty ? "Unknown" : summary)",
            group.version.isEmpty ? "**Vulnerable module:** \(group.module)" : "**Vulnerable module:** \(group.module)@\(group.version)",
            "**Reachability:** \(group.level.name) (\(group.level.severity.rawValue) severity)",
        ]
        if !details.isEmpty { parts.append("**Details:** \(details)") }
        if !group.traces.isEmpty {
            parts.append("**Traces:**\n" + group.traces.map(format(trace:)).joined(separator: "\n"))
        }
        var references = (advisory["references"]?.arrayValue ?? []).compactMap { reference -> String? in
            guard let url = reference["url"], url.isTruthy else { return nil }
            return "\(reference["type"]?.pythonString ?? "WEB"): \(url.pythonString)"
        }
        if !databaseURL.isEmpty { references.append("Database: \(databaseURL)") }

        var finding = Finding(
            title: "\(group.osvID) - \(group.module)", severity: group.level.severity, description: parts.joined(separator: "\n"))
        finding.cve = advisory["aliases"]?.arrayValue?.first?.pythonString
        finding.componentName = group.module
        finding.componentVersion = group.version
        finding.references = references.joined(separator: "\n")
        finding.fixAvailable = !group.fixedVersion.isEmpty
        finding.fixVersion = group.fixedVersion
        finding.uniqueIDFromTool = "\(group.osvID):\(group.module)"
        return finding
    }

    /// One line per trace entry, sink first: module@version, package.function, file:line:column.
    private static func format(trace: [JSONValue]) -> String {
        trace.map { entry -> String in
            let module = entry["module"]?.pythonString ?? "Unknown module"
            let version = entry["version"]?.pythonString ?? ""
            let symbol = [entry["package"], entry["function"]].compactMap { $0?.pythonString }.filter { !$0.isEmpty }
            var parts = [version.isEmpty ? "Module: \(module)" : "Module: \(module)@\(version)"]
            if !symbol.isEmpty { parts.append("Symbol: " + symbol.joined(separator: ".")) }
            if let position = entry["position"], position.isTruthy {
                let location = ["filename", "line", "column"].map { position[$0]?.pythonString ?? "" }.joined(separator: ":")
                parts.append("Location: \(location)")
            }
            return "\t" + parts.joined(separator: ", ")
        }.joined(separator: "\n")
    }
}
