import BulwarkCore
import Foundation

/// `Govulncheck Scanner` on the 1.0+ stream: one finding per `osv` record, in stream order.
///
/// Mapping: "<id> - <package> - <first import path>" (or without the path) → title; first alias
/// → cve; first affected package → component_name; the first `version` among the matching
/// `finding` traces, else the first `introduced` event → component_version; summary, sorted
/// vulnerable symbols, ecosystem, ranges, package and traces → description; details → impact;
/// "<type>: <url>" references plus "Database: <url>" → references; first `fixed` event →
/// fix_available and fix_version; import path → file_path; id → unique_id_from_tool;
/// OSV severity (usually absent) → severity, else Info.
enum GovulncheckStreamMapping {
    static func findings(_ records: [JSONValue]) throws(ParseError) -> [Finding] {
        // DefectDojo rescans the whole stream for each advisory; an index keeps this linear.
        var tracesByOSV: [String: [JSONValue]] = [:]
        for record in records {
            guard let finding = record["finding"]?.objectValue, let osv = finding["osv"]?.stringValue else { continue }
            tracesByOSV[osv, default: []].append(contentsOf: finding["trace"]?.arrayValue ?? [])
        }
        var findings: [Finding] = []
        for (index, record) in records.enumerated() {
            guard let osv = record["osv"]?.objectValue else { continue }
            let fields = LooseFields(object: osv, path: "$[\(index)].osv")
            findings.append(try finding(fields, traces: tracesByOSV[try fields.required("id")] ?? []))
        }
        return findings
    }

    private static func finding(_ osv: LooseFields, traces: [JSONValue]) throws(ParseError) -> Finding {
        let id = try osv.required("id")
        guard let affectedValue = try osv.list("affected")?.first, let affectedObject = affectedValue.objectValue else {
            throw ParseError(.missingField, "\"affected\" needs at least one entry.", position: osv.position("affected"))
        }
        let affected = LooseFields(object: affectedObject, path: osv.position("affected", 0).description)
        let package = try affected.child("package")
        let packageName = try package.required("name")
        let ranges = try affected.list("ranges") ?? []

        var formattedRanges: [String] = []
        for range in ranges {
            let events = range["events"]?.arrayValue ?? []
            var pairs: [String] = []
            for start in stride(from: 0, to: events.count, by: 2) {
                let introduced = events[start]["introduced"]?.pythonString ?? "Unknown"
                let fixed = start + 1 < events.count ? events[start + 1]["fixed"]?.pythonString ?? "Unknown" : "Unknown"
                pairs.append("\n\t\tIntroduced in \(introduced), fixed in \(fixed)")
            }
            formattedRanges.append("type \(range["type"]?.pythonString ?? "None"): " + pairs.joined(separator: ". "))
        }

        let imports = try affected.child("ecosystem_specific").list("imports")
        let firstImport = imports?.first
        let symbols = Set((firstImport?["symbols"]?.arrayValue ?? []).map(\.pythonString))
        let path = firstImport?["path"].flatMap { $0.isNull ? nil : $0.pythonString } ?? ""

        let traceLines = traces.map { trace -> String in
            let module = trace["module"]?.pythonString ?? "Unknown module"
            let version = trace["version"]?.pythonString ?? "Unknown version"
            let function = trace["function"]?.pythonString ?? "Unknown function"
            let filename = trace["position"]?["filename"]?.pythonString ?? "Unknown filename"
            let line = trace["position"]?["line"]?.pythonString ?? "Unknown line"
            // DefectDojo prints the module again as the package.
            return "\tModule: \(module), Version: \(version), Package: \(trace["module"]?.pythonString ?? "Unknown package"), Function: \(function), File: \(filename), Line: \(line)"
        }
        let description = """
            **Summary:** \(osv.text("summary", default: "Unknown"))
            **Vulnerable functions:** \(GovulncheckLegacyMapping.sortedLikePython(symbols).joined(separator: ", "))
            **Affected Ecosystem:** \(package.text("ecosystem", default: "Unknown"))
            **Affected Versions:** \(formattedRanges.joined(separator: "\n "))
            **Vulnerable Package:** \(packageName)
            **Traces found :**
            \(traceLines.joined(separator: "\n"))
            """

        var references = (try osv.list("references") ?? []).map { reference in
            "\(reference["type"]?.pythonString ?? "None"): \(reference["url"]?.pythonString ?? "None")"
        }
        let databaseURL = try osv.child("database_specific").text("url", default: "Unknown")
        if !databaseURL.isEmpty { references.append("Database: \(databaseURL)") }

        let severityText = osv.text("severity", default: "Info")
        var finding = Finding(
            title: path.isEmpty ? "\(id) - \(packageName)" : "\(id) - \(packageName) - \(path)",
            severity: try Severity.sanitizedOrThrow(severityText, at: osv.position("severity")),
            description: description)
        finding.cve = try osv.list("aliases")?.first?.pythonString
        finding.componentName = packageName
        // The first trace that has a version decides; an empty or null one falls back to the ranges.
        let tracedVersion = traces.lazy.compactMap { $0["version"] }.first.flatMap { $0.isTruthy ? $0.pythonString : nil }
        finding.componentVersion = tracedVersion ?? firstEvent("introduced", in: ranges) ?? ""
        finding.impact = osv.text("details", default: "Unknown")
        finding.references = references.joined(separator: "\n")
        let fixed = firstEvent("fixed", in: ranges)
        finding.fixAvailable = fixed != nil
        finding.fixVersion = fixed ?? ""
        finding.filePath = path
        finding.uniqueIDFromTool = id
        return finding
    }

    /// The first event of that kind across all ranges, in order.
    private static func firstEvent(_ kind: String, in ranges: [JSONValue]) -> String? {
        for range in ranges {
            for event in range["events"]?.arrayValue ?? [] {
                if let value = event[kind] { return value.pythonString }
            }
        }
        return nil
    }
}
