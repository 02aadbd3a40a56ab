import BulwarkConnectors
import BulwarkServices
import BulwarkStorage
import Foundation
import SQLKit

/// `connectors/` (a Bulwark extension): tool configurations, superusers only. `secret` is
/// write-only: sealed with AES-GCM before it is stored, never rendered, logged or echoed;
/// `has_secret` says whether one is set.
public enum ConnectorsResource {
    static let healthValues = ["unknown", "ok", "invalid_secret", "forbidden", "unreachable", "error"]

    public static let schema = ResourceSchema(
        path: "connectors", table: "connectors", modelName: "Connector", nameColumn: "label",
        fields: [
            FieldSpec("id", .integer(), .readOnly),
            FieldSpec("tool", .choice(ConnectorRegistry.descriptors.map(\.tool)), .writableOnCreate, required: true),
            FieldSpec("label", .string(maxLength: 200), required: true, allowBlank: false),
            FieldSpec("location", .string(maxLength: 1000), required: true, allowBlank: false),
            FieldSpec("secret", .string(maxLength: 4000), .writeOnly, column: "secret_ciphertext", allowBlank: false),
            FieldSpec("has_secret", .boolean, .readOnly),
            FieldSpec("extra", .computed).documented(OpenAPISchema.with(OpenAPISchema.anyObject, [("description", .string(extraDescription))])),
            FieldSpec("auto_map", .boolean, defaultValue: .bool(false)),
            FieldSpec("minimum_severity", .choice(["Info", "Low", "Medium", "High", "Critical"]), nullable: true),
            FieldSpec("discover_interval_minutes", .integer(minimum: 0), defaultValue: .int(1440)),
            FieldSpec("sync_interval_minutes", .integer(minimum: 0), defaultValue: .int(1440)),
            FieldSpec("verify_tls", .boolean, defaultValue: .bool(true)),
            FieldSpec("enabled", .boolean, defaultValue: .bool(true)),
            FieldSpec("health", .choice(healthValues), .readOnly),
            FieldSpec("health_message", .string(), .readOnly, nullable: true),
            FieldSpec("health_checked_at", .dateTime, .readOnly, nullable: true),
        ],
        filters: [
            FilterSpec("id", .inList, .integer), FilterSpec("tool", .exact), FilterSpec("label", .exact),
            FilterSpec("label__icontains", column: "label", .icontains), FilterSpec("enabled", .exact, .boolean), FilterSpec("health", .exact),
        ],
        orderings: ResourceSchema.orderings(["id", "tool", "label", "health", "health_checked_at"]),
        computed: ["extra": { ids, db in
            var out: [Int: JSONValue] = [:]
            for row in try await db.rows("SELECT id, extra FROM connectors WHERE id IN (\(binds: ids))") {
                out[try row.int("id") ?? 0] = JSONValue.parseOrdered(try row.string("extra") ?? "{}") ?? .object([])
            }
            return out
        }],
        cascades: [
            CascadeRule(table: "connector_records", model: "Connector_Record", foreignKey: "connector_id", nameColumn: "name"),
            CascadeRule(table: "connector_operations", model: "Connector_Operation", foreignKey: "connector_id", nameColumn: nil),
            CascadeRule(table: "jobs", model: "Job", foreignKey: "connector_id", nameColumn: nil),
        ])

    /// The definition; `cipher` seals secrets on the way in.
    public static func definition(cipher: SecretCipher?) -> ResourceDefinition {
        ResourceDefinition(
            schema: schema, component: "Connector", policy: .superuserOnly,
            hooks: ResourceHooks(prepare: { context, mode, id, input in
                try await prepare(context: context, mode: mode, id: id, input: &input, cipher: cipher)
            }),
            actions: [.list, .create, .retrieve, .update, .destroy])
    }

    static func prepare(context: ResourceContext, mode: WriteMode, id: Int?, input: inout ValidatedInput, cipher: SecretCipher?) async throws {
        var current: (tool: String, label: String, location: String, extra: String)?
        if let id, let row = try await context.db.rows("SELECT tool, label, location, extra FROM connectors WHERE id = \(bind: id)").first {
            current = (try row.string("tool") ?? "", try row.string("label") ?? "", try row.string("location") ?? "", try row.string("extra") ?? "{}")
        }
        if mode == .create {
            guard input.values["secret"] != nil else { throw APIError.field("secret", "This field is required.") }
            input.set("health", .string("unknown"))
            input.set("created", .date(context.now))
        }
        input.set("updated", .date(context.now))
        let tool = input.values["tool"]?.stringValue ?? current?.tool ?? ""
        let label = input.values["label"]?.stringValue ?? current?.label ?? ""
        // Location: an http(s) URL with a host, stored without trailing slashes.
        if let raw = input.values["location"]?.stringValue {
            guard let url = URLComponents(string: raw.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host?.isEmpty == false else {
                throw APIError.field("location", "Enter a valid http(s) URL.")
            }
            input.set("location", .string(ConnectorConfiguration.normalise(raw)))
        }
        let location = input.values["location"]?.stringValue ?? current?.location ?? ""
        if let taken = try await context.db.rows("SELECT id FROM connectors WHERE tool = \(bind: tool) AND label = \(bind: label)").first?.int("id"),
           taken != id {
            throw APIError.field("label", "A connector of this tool with this label already exists.")
        }
        // Extra: an object of scalar values, with the fields the tool requires.
        var extra: [String: String] = [:]
        if let value = input.values["extra"] {
            guard case .object(let pairs) = value else { throw APIError.field("extra", "Must be a JSON object.") }
            for (key, item) in pairs {
                switch item {
                case .string(let text): extra[key] = text
                case .int(let number): extra[key] = String(number)
                case .bool(let flag): extra[key] = flag ? "true" : "false"
                case .null: continue
                default: throw APIError.field("extra", "\"\(key)\" must be a string, number or boolean.")
                }
            }
            input.set("extra", .string(ConnectorStoreJSON.encode(extra)))
        } else if let current {
            extra = ConnectorStoreJSON.decode(current.extra)
        } else {
            input.set("extra", .string("{}"))
        }
        let missing = ConnectorRegistry.missingExtra(tool: tool, location: location, extra: extra)
        if !missing.isEmpty {
            throw APIError.field("extra", "Missing required field(s) for \(tool): \(missing.joined(separator: ", ")).")
        }
        // Secret: sealed here; the clear text never reaches the database or a response.
        input.remove("secret_ciphertext")
        if let secret = input.values["secret"]?.stringValue {
            guard let cipher else { throw APIError.internalError }
            input.set("secret_ciphertext", .string(try cipher.seal(secret)))
            input.set("has_secret", .bool(true))
            input.set("health", .string("unknown"))
            input.set("health_message", .null)
        } else if mode == .create {
            input.set("has_secret", .bool(false))
        }
        input.values["secret"] = nil
    }
}

/// JSON text for the `extra` and `metadata` columns.
enum ConnectorStoreJSON {
    static func encode(_ value: [String: String]) -> String {
        JSONValue.object(value.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }).serializedString()
    }

    static func decode(_ text: String) -> [String: String] {
        guard case .object(let pairs)? = JSONValue.parseOrdered(text) else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in pairs { if let text = value.stringValue { out[key] = text } }
        return out
    }
}
