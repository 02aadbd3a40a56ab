import Foundation

/// How each rendered field of a resource gets its value, worked out once per schema so that
/// rendering a page does no per-row lookups by field name: stored fields read their column by
/// position, page-loaded fields (tags, id lists, computed values) read a slot by row id, and
/// every key is written from pre-encoded bytes.
struct RenderPlan: Sendable {
    /// How a stored column's value is read and written.
    enum Cell: Sendable { case integer, float, boolean, dateTime, text }

    /// Where a field's value comes from.
    enum Source: Sendable {
        /// The row id.
        case id
        /// A column of the SELECT list, by name.
        case column(String, Cell)
        /// A value loaded for the whole page (see ``RenderPlan/extraNames``); `missing` when a row has none.
        case extra(slot: Int, missing: JSONValue)
        /// Always `null`.
        case null
    }

    /// One rendered field: its JSON name, the bytes of `"name":`, and its source.
    struct Entry: Sendable {
        let name: String
        let key: [UInt8]
        let source: Source
    }

    let entries: [Entry]
    /// Names of the page-loaded fields, indexed by their slot.
    let extraNames: [String]
    /// Stored columns to select after `id`, in field order.
    let columns: [String]

    init(fields: [FieldSpec]) {
        var entries: [Entry] = [], extraNames: [String] = [], columns: [String] = []
        for field in fields where field.isStored && field.isRendered && field.column != "id" {
            if let column = field.column { columns.append(column) }
        }
        for field in fields where field.isRendered {
            let source: Source
            if field.name == "id" {
                source = .id
            } else {
                switch field.kind {
                case .tags, .idList:
                    source = .extra(slot: extraNames.count, missing: .array([]))
                    extraNames.append(field.name)
                case .computed:
                    source = .extra(slot: extraNames.count, missing: .null)
                    extraNames.append(field.name)
                case .integer, .foreignKey: source = field.column.map { .column($0, .integer) } ?? .null
                case .float: source = field.column.map { .column($0, .float) } ?? .null
                case .boolean: source = field.column.map { .column($0, .boolean) } ?? .null
                case .dateTime: source = field.column.map { .column($0, .dateTime) } ?? .null
                case .string, .email, .choice, .date, .decimal: source = field.column.map { .column($0, .text) } ?? .null
                }
            }
            entries.append(Entry(name: field.name, key: JSONBytes.keyPrefix(field.name), source: source))
        }
        self.entries = entries
        self.extraNames = extraNames
        self.columns = columns
    }

    /// Writes each row as one object into `sink`.
    /// - Parameters:
    ///   - ids: the rows' ids, in row order.
    ///   - extras: page-loaded values by slot (see ``extraNames``), each by row id.
    func write<Sink: RenderSink>(_ rows: [ResultRow], ids: [Int], extras: [[Int: JSONValue]?], into sink: inout Sink) throws {
        guard let columnsOfResult = rows.first?.columns else { return }
        // Column positions are resolved once per page, not per row.
        let positions = entries.map { entry -> Int in
            guard case .column(let name, _) = entry.source else { return 0 }
            return columnsOfResult.position(of: name) ?? Int.max
        }
        for (index, row) in rows.enumerated() {
            let id = ids[index]
            sink.beginObject()
            for (field, entry) in entries.enumerated() {
                sink.key(entry)
                switch entry.source {
                case .id: sink.int(id)
                case .null: sink.null()
                case .extra(let slot, let missing): sink.value(extras[slot]?[id] ?? missing)
                case .column(_, let cell):
                    let position = positions[field]
                    switch cell {
                    case .integer: if let value = try row.int(at: position) { sink.int(value) } else { sink.null() }
                    case .float: if let value = try row.double(at: position) { sink.double(value) } else { sink.null() }
                    case .boolean: if let value = try row.bool(at: position) { sink.bool(value) } else { sink.null() }
                    case .dateTime: if let value = try row.date(at: position) { sink.instant(value) } else { sink.null() }
                    case .text: if let value = try row.string(at: position) { sink.string(value) } else { sink.null() }
                    }
                }
            }
            sink.endObject()
        }
    }
}

/// Receives rendered objects member by member, in field order.
protocol RenderSink {
    mutating func beginObject()
    mutating func key(_ entry: RenderPlan.Entry)
    mutating func null()
    mutating func int(_ value: Int)
    mutating func double(_ value: Double)
    mutating func bool(_ value: Bool)
    mutating func string(_ value: String)
    mutating func instant(_ value: Date)
    mutating func value(_ value: JSONValue)
    mutating func endObject()
}

/// Writes objects as a JSON array's UTF-8 text, straight from the rows.
struct JSONBytesSink: RenderSink {
    var out: [UInt8]
    private var objects = 0
    private var members = 0

    init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
        out.append(UInt8(ascii: "["))
    }

    /// The finished array.
    mutating func finish() -> [UInt8] {
        out.append(UInt8(ascii: "]"))
        return out
    }

    mutating func beginObject() {
        if objects > 0 { out.append(UInt8(ascii: ",")) }
        objects += 1
        members = 0
        out.append(UInt8(ascii: "{"))
    }

    mutating func key(_ entry: RenderPlan.Entry) {
        if members > 0 { out.append(UInt8(ascii: ",")) }
        members += 1
        out.append(contentsOf: entry.key)
    }

    mutating func null() { JSONBytes.appendNull(&out) }
    mutating func int(_ value: Int) { JSONBytes.appendInt(value, to: &out) }
    mutating func double(_ value: Double) { JSONBytes.appendDouble(value, to: &out) }
    mutating func bool(_ value: Bool) { JSONBytes.appendBool(value, to: &out) }
    mutating func string(_ value: String) { JSONBytes.appendString(value, to: &out) }
    mutating func instant(_ value: Date) {
        out.append(UInt8(ascii: "\""))
        DateFormatting.appendInstant(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }
    mutating func value(_ value: JSONValue) { value.write(into: &out) }
    mutating func endObject() { out.append(UInt8(ascii: "}")) }
}

/// Builds objects as ``JSONValue`` trees, for callers that inspect or extend them.
struct JSONTreeSink: RenderSink {
    var objects: [JSONValue] = []
    private var pairs: [(String, JSONValue)] = []
    private var name = ""

    mutating func beginObject() { pairs = [] }
    mutating func key(_ entry: RenderPlan.Entry) { name = entry.name }
    mutating func null() { pairs.append((name, .null)) }
    mutating func int(_ value: Int) { pairs.append((name, .int(value))) }
    mutating func double(_ value: Double) { pairs.append((name, .double(value))) }
    mutating func bool(_ value: Bool) { pairs.append((name, .bool(value))) }
    mutating func string(_ value: String) { pairs.append((name, .string(value))) }
    mutating func instant(_ value: Date) { pairs.append((name, .string(DateFormatting.instant(value)))) }
    mutating func value(_ value: JSONValue) { pairs.append((name, value)) }
    mutating func endObject() { objects.append(.object(pairs)) }
}
