import Foundation

/// How each rendered field of a resource gets its value, worked out once per schema so that
/// rendering a page does no per-row lookups by field name: stored fields read their column by
/// position, page-loaded fields (tags, id lists, computed values) read a slot by row id, and
/// every key is written from pre-encoded bytes.
struct RenderPlan: Sendable {
    /// How a stored column's value is read and written.
    enum Cell: Sendable { case integer, float, boolean, dateTime, text }

    /// Where a field's value comes from (plain data: the hot loop copies it without reference counting).
    enum Source: Sendable {
        /// The row id.
        case id
        /// The field's column (``columnNames``) of the SELECT list.
        case column(Cell)
        /// A value loaded for the whole page, by slot (see ``extraNames`` and ``extraMissing``).
        case extra(slot: Int)
        /// A value declared once for every row (``constantValues``).
        case constant(Int)
        /// Always `null`.
        case null
    }

    /// Rendered field names, in order.
    let names: [String]
    /// Where each field's value comes from.
    let sources: [Source]
    /// The column each `.column` field reads (nil for other sources).
    let columnNames: [String?]
    /// All `"name":` prefixes, back to back; `keyRanges[i]` is field i's.
    let keyBytes: [UInt8]
    let keyRanges: [Range<Int>]
    /// Names of the page-loaded fields, indexed by their slot, and the value a row without one gets.
    let extraNames: [String]
    let extraMissing: [JSONValue]
    /// Values of `.constant` fields, by index.
    let constantValues: [JSONValue]
    /// Stored columns to select after `id`, in field order.
    let columns: [String]
    /// `"table"."id", "table"."column", …` for the SELECT list, quoted as SQLite and PostgreSQL quote identifiers.
    let selectSQL: String

    init(table: String, fields: [FieldSpec], constants: [String: JSONValue] = [:]) {
        var names: [String] = [], sources: [Source] = [], columnNames: [String?] = [], constantValues: [JSONValue] = []
        var keyBytes: [UInt8] = [], keyRanges: [Range<Int>] = []
        var extraNames: [String] = [], extraMissing: [JSONValue] = [], columns: [String] = []
        for field in fields where field.isStored && field.isRendered && field.column != "id" {
            if let column = field.column { columns.append(column) }
        }
        for field in fields where field.isRendered {
            var source = Source.null
            var column: String?
            if field.name == "id" {
                source = .id
            } else if field.kind.isComputed, let value = constants[field.name] {
                source = .constant(constantValues.count)
                constantValues.append(value)
            } else {
                switch field.kind {
                case .tags, .idList, .computed:
                    source = .extra(slot: extraNames.count)
                    extraNames.append(field.name)
                    extraMissing.append(field.kind.isComputed ? .null : .array([]))
                case .integer, .foreignKey: (source, column) = field.column.map { (.column(.integer), $0) } ?? (.null, nil)
                case .float: (source, column) = field.column.map { (.column(.float), $0) } ?? (.null, nil)
                case .boolean: (source, column) = field.column.map { (.column(.boolean), $0) } ?? (.null, nil)
                case .dateTime: (source, column) = field.column.map { (.column(.dateTime), $0) } ?? (.null, nil)
                case .string, .email, .choice, .date, .decimal: (source, column) = field.column.map { (.column(.text), $0) } ?? (.null, nil)
                }
            }
            names.append(field.name)
            sources.append(source)
            columnNames.append(column)
            let key = JSONBytes.keyPrefix(field.name)
            keyRanges.append(keyBytes.count..<keyBytes.count + key.count)
            keyBytes.append(contentsOf: key)
        }
        func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        self.selectSQL = ([quoted(table) + "." + quoted("id")] + columns.map { quoted(table) + "." + quoted($0) }).joined(separator: ", ")
        (self.names, self.sources, self.columnNames, self.keyBytes, self.keyRanges) = (names, sources, columnNames, keyBytes, keyRanges)
        (self.extraNames, self.extraMissing, self.columns, self.constantValues) = (extraNames, extraMissing, columns, constantValues)
    }

    /// Writes each row as one object into `sink`.
    /// - Parameters:
    ///   - ids: the rows' ids, in row order.
    ///   - extras: page-loaded values by slot (see ``extraNames``), each by row id.
    func write<Sink: RenderSink>(_ rows: [ResultRow], ids: [Int], extras: [[Int: JSONValue]?], into sink: inout Sink) throws {
        guard let columnsOfResult = rows.first?.columns else { return }
        // Column positions are resolved once per page, not per row.
        let positions = columnNames.map { name in name.flatMap { columnsOfResult.position(of: $0) } ?? Int.max }
        let extras = extras.map { $0 ?? [:] }
        try keyBytes.withUnsafeBufferPointer { keys in
            try sources.withUnsafeBufferPointer { sources in
                for (index, row) in rows.enumerated() {
                    let id = ids[index]
                    sink.beginObject()
                    for field in 0..<sources.count {
                        sink.key(field, UnsafeBufferPointer(rebasing: keys[keyRanges[field]]))
                        switch sources[field] {
                        case .id: sink.int(id)
                        case .null: sink.null()
                        case .constant(let index): sink.value(constantValues[index])
                        case .extra(let slot):
                            if let value = extras[slot][id] { sink.value(value) } else { sink.value(extraMissing[slot]) }
                        case .column(let cell):
                            let position = positions[field]
                            switch cell {
                            case .integer: if let value = try row.int(at: position) { sink.int(value) } else { sink.null() }
                            case .float: if let value = try row.double(at: position) { sink.double(value) } else { sink.null() }
                            case .boolean: if let value = try row.bool(at: position) { sink.bool(value) } else { sink.null() }
                            case .dateTime: if let value = try row.date(at: position) { sink.instant(value) } else { sink.null() }
                            case .text: if !(try row.withText(at: position) { sink.text($0) }) { sink.null() }
                            }
                        }
                    }
                    sink.endObject()
                }
            }
        }
    }
}

extension FieldKind {
    var isComputed: Bool { if case .computed = self { return true } else { return false } }
}

/// Receives rendered objects member by member, in field order.
protocol RenderSink {
    mutating func beginObject()
    /// The next member's key: field `index` of the plan, whose `"name":` bytes are `key`.
    mutating func key(_ index: Int, _ key: UnsafeBufferPointer<UInt8>)
    mutating func null()
    mutating func int(_ value: Int)
    mutating func double(_ value: Double)
    mutating func bool(_ value: Bool)
    /// A string given as its UTF-8 bytes.
    mutating func text(_ utf8: UnsafeBufferPointer<UInt8>)
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

    mutating func key(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) {
        if members > 0 { out.append(UInt8(ascii: ",")) }
        members += 1
        out.append(contentsOf: key)
    }

    mutating func null() { JSONBytes.appendNull(&out) }
    mutating func int(_ value: Int) { JSONBytes.appendInt(value, to: &out) }
    mutating func double(_ value: Double) { JSONBytes.appendDouble(value, to: &out) }
    mutating func bool(_ value: Bool) { JSONBytes.appendBool(value, to: &out) }
    mutating func text(_ utf8: UnsafeBufferPointer<UInt8>) { JSONBytes.appendString(utf8: utf8, to: &out) }
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
    private let names: [String]
    private var pairs: [(String, JSONValue)] = []
    private var name = ""

    init(names: [String]) { self.names = names }

    mutating func beginObject() { pairs = []; pairs.reserveCapacity(names.count) }
    mutating func key(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) { name = names[index] }
    mutating func null() { pairs.append((name, .null)) }
    mutating func int(_ value: Int) { pairs.append((name, .int(value))) }
    mutating func double(_ value: Double) { pairs.append((name, .double(value))) }
    mutating func bool(_ value: Bool) { pairs.append((name, .bool(value))) }
    mutating func text(_ utf8: UnsafeBufferPointer<UInt8>) { pairs.append((name, .string(String(decoding: utf8, as: UTF8.self)))) }
    mutating func instant(_ value: Date) { pairs.append((name, .string(DateFormatting.instant(value)))) }
    mutating func value(_ value: JSONValue) { pairs.append((name, value)) }
    mutating func endObject() { objects.append(.object(pairs)) }
}
