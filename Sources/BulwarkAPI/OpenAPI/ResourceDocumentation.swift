import Foundation
import BulwarkStorage

/// The OpenAPI components and operations of a generic resource, derived from its
/// ``ResourceDefinition`` with DefectDojo's naming: `Finding`, `FindingRequest` (or
/// `FindingCreateRequest` when some fields are accepted on create only), `PatchedFindingRequest`
/// and `PaginatedFindingList`.
struct ResourceDocumentation {
    let definition: ResourceDefinition
    /// Component names of all resources by path, for the `prefetch` objects.
    let componentNames: [String: String]
    /// Every component the resource's routes refer to, built once and declared with each operation.
    private(set) var components: [(String, JSONValue)] = []

    init(definition: ResourceDefinition, componentNames: [String: String]) {
        self.definition = definition
        self.componentNames = componentNames
        components = buildComponents()
    }

    private var schema: ResourceSchema { definition.schema }
    var name: String { definition.componentName }
    private var operationPrefix: String { schema.path.replacingOccurrences(of: "-", with: "_") }
    private var hasCreateOnlyFields: Bool { schema.fields.contains { $0.access == .writableOnCreate } }
    var createRequestName: String { hasCreateOnlyFields ? "\(name)CreateRequest" : "\(name)Request" }

    // MARK: - Components

    private func buildComponents() -> [(String, JSONValue)] {
        let actions = definition.actions
        var out: [(String, JSONValue)] = [(name, responseComponent())]
        if actions.contains(.create) { out.append((createRequestName, Self.requestComponent(fields: schema.fields.filter(\.acceptsOnCreate), partial: false))) }
        if actions.contains(.update) {
            let updatable = schema.fields.filter(\.acceptsOnUpdate)
            if !out.contains(where: { $0.0 == "\(name)Request" }) { out.append(("\(name)Request", Self.requestComponent(fields: updatable, partial: false))) }
            out.append(("Patched\(name)Request", Self.requestComponent(fields: updatable, partial: true)))
        }
        if actions.contains(.list) { out.append(("Paginated\(name)List", Self.paginated(OpenAPISchema.ref(name), prefetch: prefetchSchema()))) }
        return out
    }

    private func responseComponent() -> JSONValue {
        let rendered = schema.fields.filter(\.isRendered)
        var properties = rendered.map { ($0.name, FieldSchemas.responseSchema($0)) }
        if let prefetch = prefetchSchema() { properties.append(("prefetch", prefetch)) }
        return OpenAPISchema.object(properties, required: rendered.map(\.name))
    }

    /// A request body object of `fields`; on a partial update nothing is required.
    static func requestComponent(fields: [FieldSpec], partial: Bool) -> JSONValue {
        let required = partial ? [] : fields.filter(\.required).map(\.name)
        return OpenAPISchema.object(fields.map { ($0.name, FieldSchemas.requestSchema($0)) }, required: required)
    }

    /// The `prefetch` object: each prefetchable field → objects by id.
    private func prefetchSchema() -> JSONValue? {
        guard let prefetch = definition.prefetch else { return nil }
        let properties = prefetch.sorted { $0.key < $1.key }.map { field, path -> (String, JSONValue) in
            let target = componentNames[path].map(OpenAPISchema.ref) ?? OpenAPISchema.anyObject
            return (field, .object([("type", .string("object")), ("readOnly", .bool(true)), ("additionalProperties", target)]))
        }
        return OpenAPISchema.object(properties, required: [])
    }

    /// DRF's limit/offset envelope around `item`.
    static func paginated(_ item: JSONValue, prefetch: JSONValue? = nil) -> JSONValue {
        var properties: [(String, JSONValue)] = [
            ("count", .object([("type", .string("integer")), ("example", .int(123))])),
            ("next", OpenAPISchema.nullable(OpenAPISchema.uri)),
            ("previous", OpenAPISchema.nullable(OpenAPISchema.uri)),
            ("results", OpenAPISchema.array(item)),
        ]
        if let prefetch { properties.append(("prefetch", prefetch)) }
        return OpenAPISchema.object(properties, required: ["count", "results"])
    }

    // MARK: - Operations

    static let limitParameter = APIOperation.queryParameter("limit", OpenAPISchema.integer, description: "Number of results to return per page.")
    static let offsetParameter = APIOperation.queryParameter("offset", OpenAPISchema.integer,
                                                             description: "The initial index from which to return the results.")

    private var prefetchParameter: [JSONValue] {
        guard let prefetch = definition.prefetch, !prefetch.isEmpty else { return [] }
        let names = OpenAPISchema.array(OpenAPISchema.choice(prefetch.keys.sorted()))
        return [APIOperation.queryParameter("prefetch", names, description: "List of fields for which to prefetch model instances and add those to the response",
                                            style: ("form", explode: false))]
    }

    private var orderingParameter: [JSONValue] {
        guard !schema.orderings.isEmpty else { return [] }
        let values = schema.orderings.keys.sorted().flatMap { ["-" + $0, $0] }.sorted()
        return [APIOperation.queryParameter("o", OpenAPISchema.array(OpenAPISchema.choice(values)), description: "Ordering",
                                            style: ("form", explode: false))]
    }

    private static let lookupNote = """
        Besides the parameters listed, every stored field accepts the lookups `__exact`, `__iexact`, `__contains`, \
        `__icontains`, `__in`, `__gt`, `__gte`, `__lt` and `__lte` (for example `title__icontains=sql`).
        """

    var list: APIOperation {
        let filters = schema.filters.map(FieldSchemas.parameter)
        let query = (filters + orderingParameter + [Self.limitParameter, Self.offsetParameter] + prefetchParameter)
            .sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        return APIOperation("\(operationPrefix)_list", tag: schema.path, description: Self.lookupNote, query: query,
                            responses: [.ok("Paginated\(name)List")], errors: [400, 403]).declaring(components)
    }

    var create: APIOperation {
        APIOperation("\(operationPrefix)_create", tag: schema.path, body: .component(createRequestName),
                     responses: [APIResponse(201, OpenAPISchema.ref(name))], errors: [400, 403]).declaring(components)
    }

    var retrieve: APIOperation {
        APIOperation("\(operationPrefix)_retrieve", tag: schema.path, query: prefetchParameter, responses: [.ok(name)], errors: [403, 404]).declaring(components)
    }

    var update: APIOperation {
        APIOperation("\(operationPrefix)_update", tag: schema.path, body: .component("\(name)Request"), responses: [.ok(name)]).declaring(components)
    }

    var partialUpdate: APIOperation {
        APIOperation("\(operationPrefix)_partial_update", tag: schema.path, body: .component("Patched\(name)Request", required: false),
                     responses: [.ok(name)]).declaring(components)
    }

    var destroy: APIOperation {
        APIOperation("\(operationPrefix)_destroy", tag: schema.path, responses: [.noContent], errors: [400, 403, 404, 409]).declaring(components)
    }

    var deletePreview: APIOperation {
        APIOperation("\(operationPrefix)_delete_preview_list", tag: schema.path, query: [Self.limitParameter, Self.offsetParameter],
                     responses: [.ok("PaginatedDeletePreviewList")], errors: [403, 404]).declaring(components)
    }
}
