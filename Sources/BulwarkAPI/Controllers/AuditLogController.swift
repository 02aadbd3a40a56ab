import BulwarkServices
import BulwarkStorage
import Vapor

/// `GET /api/v2/audit_log/` (a Bulwark extension, superusers only): who changed what and when,
/// newest first, with DefectDojo's list envelope and `limit`/`offset` paging.
public struct AuditLogController: Sendable {
    public init() {}

    public func register(on routes: any RoutesBuilder) {
        routes.get("audit_log", use: list).documented(Self.operation)
        MethodFallback.register(on: routes, path: ["audit_log"], allowed: [.GET])
    }

    static let operation = APIOperation(
        "audit_log_list", tag: "audit_log",
        description: "Changes to findings, products, engagements, tests, memberships, connectors, tokens and settings, and imports. Superusers only.",
        query: [
            APIOperation.queryParameter("object_type", OpenAPISchema.string, description: "finding, product, product_type, engagement, test, user, token …"),
            APIOperation.queryParameter("object_id", OpenAPISchema.integer),
            APIOperation.queryParameter("actor", OpenAPISchema.integer, description: "The id of the user who made the change."),
            APIOperation.queryParameter("action", OpenAPISchema.string, description: "create, update, delete, import, reimport, close, verify …"),
            APIOperation.queryParameter("created_after", OpenAPISchema.dateTime),
            APIOperation.queryParameter("created_before", OpenAPISchema.dateTime),
            APIOperation.queryParameter("limit", OpenAPISchema.integer),
            APIOperation.queryParameter("offset", OpenAPISchema.integer),
        ],
        responses: [.ok("PaginatedAuditEventList")], errors: [400, 403]
    ).declaring([
        ("AuditEvent", OpenAPISchema.object([
            ("id", OpenAPISchema.integer), ("created", OpenAPISchema.dateTime), ("actor", OpenAPISchema.nullable(OpenAPISchema.integer)),
            ("actor_name", OpenAPISchema.string), ("action", OpenAPISchema.string), ("object_type", OpenAPISchema.string),
            ("object_id", OpenAPISchema.nullable(OpenAPISchema.integer)), ("object_name", OpenAPISchema.nullable(OpenAPISchema.string)),
            ("changes", OpenAPISchema.anyObject),
        ])),
        ("PaginatedAuditEventList", OpenAPISchema.object([
            ("count", OpenAPISchema.integer), ("next", OpenAPISchema.nullable(OpenAPISchema.uri)),
            ("previous", OpenAPISchema.nullable(OpenAPISchema.uri)), ("results", OpenAPISchema.array(OpenAPISchema.ref("AuditEvent"))),
        ])),
    ])

    static func json(_ event: AuditEvent) -> JSONValue {
        .object([
            ("id", .int(event.id)), ("created", .string(DateFormatting.instant(event.created))), ("actor", event.actorID.map(JSONValue.int) ?? .null),
            ("actor_name", .string(event.actorName)), ("action", .string(event.action)), ("object_type", .string(event.objectType)),
            ("object_id", event.objectID.map(JSONValue.int) ?? .null), ("object_name", event.objectName.map(JSONValue.string) ?? .null),
            ("changes", event.changes),
        ])
    }

    /// Reads the filters; a malformed value is a 400 naming its parameter.
    static func query(_ pairs: [(String, String)]) throws -> AuditQuery {
        var query = AuditQuery()
        func value(_ name: String) -> String? { pairs.last { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 } }
        func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
            guard let raw = value(name) else { return nil }
            guard let number = Int(raw), range.contains(number) else { throw APIError.field(name, "Enter a whole number.") }
            return number
        }
        func instant(_ name: String) throws -> Date? {
            guard let raw = value(name) else { return nil }
            guard let date = DateFormatting.parseInstant(raw) ?? DateFormatting.parseDay(raw) else { throw APIError.field(name, "Enter a valid date/time.") }
            return date
        }
        query.objectType = value("object_type").map { String($0.prefix(100)) }
        query.objectID = try integer("object_id", range: 0...Int(Int32.max))
        query.actorID = try integer("actor", range: 0...Int(Int32.max))
        query.action = value("action").map { String($0.prefix(100)) }
        query.from = try instant("created_after")
        query.to = try instant("created_before")
        return query
    }

    @Sendable func list(_ request: Request) async throws -> Response {
        guard try request.requireUser().isSuperuser else { throw APIError.permissionDenied }
        let page = Pagination(request: request)
        var query = try Self.query(request.queryPairs)
        query.limit = min(page.limit, 1_000)
        query.offset = page.offset
        let found = try await AuditLog.events(query, db: try request.readingSQL)
        return page.envelope(count: found.count, results: found.events.map(Self.json), request: request).response()
    }
}
