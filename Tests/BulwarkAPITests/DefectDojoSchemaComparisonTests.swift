import BulwarkStorage
import BulwarkTesting
import Foundation
import Testing

/// Compares Bulwark's schema with DefectDojo's (`../shared/spec/defectdojo-openapi.json`) on every
/// P0 path of `../shared/spec/api-v2.md`: paths, methods, query parameter names, and the property
/// names of request and response bodies. Each difference must be listed, with its reason, in
/// `docs/openapi-differences.md`, and every listed difference must still exist.
/// The spec lives next to the repository, not in it; without it the test is skipped.
@Suite("OpenAPI schema compared with DefectDojo's", .enabled(if: DefectDojoSpec.isAvailable))
struct DefectDojoSchemaComparisonTests {
    @Test("Every difference on the P0 paths is listed and justified in docs/openapi-differences.md")
    func differencesAreDocumented() async throws {
        let defectDojo = try #require(JSONValue.parseOrdered(try String(contentsOf: DefectDojoSpec.openAPIFile, encoding: .utf8)))
        let paths = DefectDojoSpec.p0Paths(try String(contentsOf: DefectDojoSpec.apiDescription, encoding: .utf8))
        #expect(paths.count >= 40, "P0 paths read from api-v2.md")
        let listed = DefectDojoSpec.listedDifferences(try String(contentsOf: DefectDojoSpec.differencesDocument, encoding: .utf8))
        try await withTestServer { server in
            let bulwark = try await OpenAPITests.document(server)
            let found = SchemaDifferences(defectDojo: defectDojo, bulwark: bulwark).differences(on: paths)
            let undocumented = found.subtracting(listed).sorted()
            let stale = listed.subtracting(found).sorted()
            let missing = undocumented.map { "- `\($0)`" }.joined(separator: "\n")
            #expect(undocumented == [], "differences missing from docs/openapi-differences.md:\n\(missing)")
            #expect(stale == [], "listed differences that no longer exist")
        }
    }
}

/// Where the shared spec files and the differences document are.
enum DefectDojoSpec {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let specDirectory = repository.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent("spec")
    static let openAPIFile = specDirectory.appendingPathComponent("defectdojo-openapi.json")
    static let apiDescription = specDirectory.appendingPathComponent("api-v2.md")
    static let differencesDocument = repository.appendingPathComponent("docs").appendingPathComponent("openapi-differences.md")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: openAPIFile.path) && FileManager.default.fileExists(atPath: apiDescription.path)
    }

    /// The P0 rows of api-v2.md's endpoint table as OpenAPI paths; "CRUD" adds `{id}/` and
    /// `{id}/delete_preview/`, "retrieve" adds `{id}/`. A bare action (`reopen/`) is relative to the row's first path.
    static func p0Paths(_ markdown: String) -> [String] {
        var out: [String] = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("|") && line.trimmingCharacters(in: .whitespaces).hasSuffix("P0 |") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 2 else { continue }
            let names = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for var name in names {
                if name.filter({ $0 == "/" }).count == 1, names.count > 1, let first = names.first, let cut = first.dropLast().lastIndex(of: "/") {
                    name = String(first[...cut]) + name
                }
                out.append("/api/v2/" + name)
                if cells[2].contains("CRUD") || cells[2].contains("retrieve") { out.append("/api/v2/\(name){id}/") }
                if cells[2].contains("CRUD") { out.append("/api/v2/\(name){id}/delete_preview/") }
            }
        }
        return out
    }

    /// The backticked bullets of the differences document.
    static func listedDifferences(_ markdown: String) -> Set<String> {
        Set(markdown.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("- `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
        })
    }
}

/// Differences between two OpenAPI documents, one line each:
/// `<path> path: only in …`, `<METHOD> <path> method: only in …`, `<METHOD> <path> parameter <name>: only in …`,
/// and `<collection path> property <name>: only in …` for body properties (request or response, any
/// operation of the resource, paginated `results` included).
struct SchemaDifferences {
    let defectDojo: JSONValue
    let bulwark: JSONValue

    func differences(on paths: [String]) -> Set<String> {
        var out = Set<String>()
        func note(_ subject: String, _ inDefectDojo: Bool) { out.insert("\(subject): only in \(inDefectDojo ? "DefectDojo" : "Bulwark")") }
        for path in paths {
            let theirs = defectDojo["paths"]?[path], ours = bulwark["paths"]?[path]
            guard let theirs, let ours else {
                if theirs != nil || ours != nil { note("\(path) path", theirs != nil) }
                continue
            }
            let collection = path.range(of: "{id}/").map { String(path[..<$0.lowerBound]) } ?? path
            for method in Set(theirs.keys + ours.keys).sorted() {
                let upper = method.uppercased()
                guard let their = theirs[method], let our = ours[method] else { note("\(upper) \(path) method", theirs[method] != nil); continue }
                let theirParameters = Self.queryParameters(their), ourParameters = Self.queryParameters(our)
                for name in theirParameters.subtracting(ourParameters) { note("\(upper) \(path) parameter \(name)", true) }
                for name in ourParameters.subtracting(theirParameters) { note("\(upper) \(path) parameter \(name)", false) }
                let theirProperties = properties(of: their, in: defectDojo), ourProperties = properties(of: our, in: bulwark)
                for name in theirProperties.subtracting(ourProperties) { note("\(collection) property \(name)", true) }
                for name in ourProperties.subtracting(theirProperties) { note("\(collection) property \(name)", false) }
            }
        }
        return out
    }

    static func queryParameters(_ operation: JSONValue) -> Set<String> {
        Set(operation["parameters"]?.items.filter { $0["in"] == .string("query") }.compactMap { $0["name"]?.stringValue } ?? [])
    }

    /// Property names of the request body and the success response, `results` items included.
    func properties(of operation: JSONValue, in document: JSONValue) -> Set<String> {
        var schemas: [JSONValue] = []
        if case .object(let content)? = operation["requestBody"]?["content"], let first = content.first { schemas.append(first.1["schema"] ?? .null) }
        if case .object(let responses)? = operation["responses"] {
            for (status, response) in responses where status.hasPrefix("2") {
                if let schema = response["content"]?["application/json"]?["schema"] { schemas.append(schema) }
            }
        }
        var names = Set<String>()
        for schema in schemas {
            let resolved = resolve(schema, in: document)
            names.formUnion(propertyNames(resolved, in: document))
            if let results = resolved["properties"]?["results"] { names.formUnion(propertyNames(resolve(results, in: document), in: document)) }
        }
        return names.subtracting(["count", "next", "previous", "results"])
    }

    private func propertyNames(_ schema: JSONValue, in document: JSONValue) -> [String] {
        if schema["type"] == .string("array"), let items = schema["items"] { return propertyNames(resolve(items, in: document), in: document) }
        return schema["properties"]?.keys ?? []
    }

    private func resolve(_ schema: JSONValue, in document: JSONValue) -> JSONValue {
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            return resolve(document["components"]?["schemas"]?[name] ?? .null, in: document)
        }
        if let first = schema["allOf"]?.items.first { return resolve(first, in: document) }
        return schema
    }
}
