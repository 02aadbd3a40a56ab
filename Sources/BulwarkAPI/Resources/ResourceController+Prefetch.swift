import BulwarkStorage
import SQLKit
import Vapor

extension ResourceController {
    /// Names asked for with `?prefetch=a,b` or repeated `prefetch=` parameters.
    func prefetchNames(_ request: Request) -> [String] {
        request.queryPairs.filter { $0.0 == "prefetch" }
            .flatMap { $0.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// The `prefetch` object for a page: each asked field → {"id": object} of the objects it refers to.
    /// Nil for endpoints without prefetch support (the key is then absent).
    func prefetched(_ objects: [JSONValue], request: Request, context: ResourceContext) async throws -> JSONValue? {
        guard let prefetchable = definition.prefetch else { return nil }
        var pairs: [(String, JSONValue)] = []
        for name in prefetchNames(request) where pairs.first(where: { $0.0 == name }) == nil {
            guard let path = prefetchable[name], let target = catalog.definitions[path] else { continue }
            var ids = Set<Int>()
            for object in objects {
                switch object[name] {
                case .int(let id)?: ids.insert(id)
                case .array(let items)?: items.compactMap(\.intValue).forEach { ids.insert($0) }
                default: break
                }
            }
            var found: [(String, JSONValue)] = []
            if !ids.isEmpty, target.policy.canRead(context.user) {
                let repository = ResourceRepository(schema: target.schema, db: context.db)
                let sorted = ids.sorted()
                let condition: SQLQueryString = "\(ident: target.schema.table).\(ident: "id") IN (\(binds: sorted))"
                let rows = try await repository.list(
                    where: [condition] + target.policy.visibility(context.user),
                    orderBy: ["\(ident: target.schema.table).\(ident: "id") ASC"], limit: sorted.count, offset: 0)
                for row in rows { if let id = row["id"]?.intValue { found.append((String(id), row)) } }
            }
            pairs.append((name, .object(found)))
        }
        return .object(pairs)
    }

    /// A single object with its `prefetch` key, for prefetch-enabled endpoints.
    func withPrefetch(_ object: JSONValue, request: Request, context: ResourceContext) async throws -> JSONValue {
        guard let prefetch = try await prefetched([object], request: request, context: context), case .object(var pairs) = object else { return object }
        pairs.append(("prefetch", prefetch))
        return .object(pairs)
    }
}
