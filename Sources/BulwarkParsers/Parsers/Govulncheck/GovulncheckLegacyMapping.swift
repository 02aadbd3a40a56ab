import BulwarkCore
import Foundation

/// `Govulncheck Scanner` on pre-1.0 output: one object with `Vulns`, `Calls` and `Requires`.
///
/// Consecutive `Vulns` entries with the same first alias form one finding (Python's
/// `itertools.groupby`): the first entry gives title and unique_id_from_tool (OSV id),
/// component_name (first affected package), component_version (`Requires.Modules[RequireSink]`)
/// and references (first reference URL); description lists the vulnerable symbols of all
/// entries and impact the call sites (`file:line:column`) that reach them, both sorted; the
/// alias becomes `cve`; severity Info.
enum GovulncheckLegacyMapping {
    static func findings(_ report: JSONObject) throws(ParseError) -> [Finding] {
        let root = LooseFields(object: report, path: "$")
        guard root.contains("Vulns") else {
            throw ParseError(.missingField, "Required field \"Vulns\" is missing.", position: .jsonPath("$"))
        }
        guard let vulns = try root.list("Vulns"), !vulns.isEmpty else { return [] }
        var groups: [(alias: String, entries: [(LooseFields, LooseFields)])] = []
        for (index, value) in vulns.enumerated() {
            let path = "$.Vulns[\(index)]"
            guard let entry = value.objectValue else {
                throw ParseError(.invalidValue, "Each vulnerability must be an object.", position: .jsonPath(path))
            }
            let fields = LooseFields(object: entry, path: path)
            let osv = try requiredObject(fields, "OSV")
            let alias = try first(osv, "aliases").pythonString
            if let last = groups.indices.last, groups[last].alias == alias {
                groups[last].entries.append((fields, osv))
            } else {
                groups.append((alias, [(fields, osv)]))
            }
        }
        return try groups.map { group throws(ParseError) in try finding(alias: group.alias, entries: group.entries, report: root) }
    }

    private static func finding(
        alias: String, entries: [(LooseFields, LooseFields)], report: LooseFields
    ) throws(ParseError) -> Finding {
        guard let (firstEntry, osv) = entries.first else {
            throw ParseError(.invalidValue, "An empty group of vulnerabilities.", position: .jsonPath("$.Vulns"))
        }
        let id = try osv.required("id")
        let affected = try LooseFields(object: first(osv, "affected").objectValue ?? JSONObject(), path: osv.position("affected", 0).description)
        var symbols = Set<String>()
        var callSites = Set<String>()
        for (entry, entryOSV) in entries {
            callSites.formUnion(try locations(report, node: try entry.required("CallSink")))
            let entryAffected = try LooseFields(
                object: first(entryOSV, "affected").objectValue ?? JSONObject(), path: entryOSV.position("affected", 0).description)
            let imports = try entryAffected.child("ecosystem_specific")
            let firstImport = try LooseFields(object: first(imports, "imports").objectValue ?? JSONObject(), path: imports.position("imports", 0).description)
            for symbol in try firstImport.list("symbols") ?? [] { symbols.insert(symbol.pythonString) }
        }
        var finding = Finding(
            title: id, severity: .info,
            description: "Vulnerable functions: " + sortedLikePython(symbols).joined(separator: "; "))
        finding.cve = alias
        finding.componentName = try affected.child("package").required("name")
        let module = try report.child("Requires").child("Modules").child(try firstEntry.required("RequireSink"))
        finding.componentVersion = try module.required("Version")
        finding.references = try LooseFields(object: first(osv, "references").objectValue ?? JSONObject(), path: osv.position("references", 0).description).required("url")
        finding.uniqueIDFromTool = id
        finding.impact = callSites.isEmpty ? nil : sortedLikePython(callSites).joined(separator: "; ")
        return finding
    }

    /// The call sites of the function that calls into the program's entry (parent 1), found by
    /// walking up first call sites from `node`.
    private static func locations(_ report: LooseFields, node start: String) throws(ParseError) -> [String] {
        let functions = try report.child("Calls").child("Functions")
        var node = start
        // A call graph is finite; a cycle in a hand-edited report must not loop forever.
        for _ in 0...functions.object.count {
            let callSites = try functions.child(node).list("CallSites") ?? []
            guard let firstSite = callSites.first?.objectValue else {
                throw ParseError(.invalidValue, "Function \(node) has no call sites.", position: functions.position(node))
            }
            let parent = firstSite["Parent"]?.pythonString ?? "None"
            if parent == "1" {
                return callSites.map { site in
                    let position = site["Pos"]
                    return ["Filename", "Line", "Column"].map { position?[$0]?.pythonString ?? "None" }.joined(separator: ":")
                }
            }
            node = parent
        }
        throw ParseError(.invalidValue, "The call graph loops above function \(start).", position: functions.position())
    }

    private static func requiredObject(_ fields: LooseFields, _ key: String) throws(ParseError) -> LooseFields {
        guard let object = fields.object[key]?.objectValue else {
            throw ParseError(.missingField, "Required object \"\(key)\" is missing.", position: fields.position(key))
        }
        return LooseFields(object: object, path: fields.position(key).description)
    }

    private static func first(_ fields: LooseFields, _ key: String) throws(ParseError) -> JSONValue {
        guard let item = try fields.list(key)?.first else {
            throw ParseError(.missingField, "\"\(key)\" needs at least one entry.", position: fields.position(key))
        }
        return item
    }

    /// Python's `sorted()` of strings: by code point.
    static func sortedLikePython(_ items: Set<String>) -> [String] {
        items.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}
