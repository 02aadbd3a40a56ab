import Foundation
import SQLiteNIO

/// Every cell of one SQLite result set in a few flat arrays: a kind per cell, a 64-bit payload
/// per cell (the integer, the double's bits, or where the text starts) and one byte buffer for
/// all text. A findings page is ~100 rows × ~90 columns; this holds it in five allocations
/// instead of one per text cell and one per row.
public final class ResultCells: Sendable {
    /// What a cell holds (SQLite's storage classes).
    enum Kind: UInt8 { case null, integer, float, text, blob }

    /// The result's columns, shared by every row.
    public let columns: ResultColumns
    /// Number of rows.
    public let rowCount: Int
    let kinds: [Kind]
    let payloads: [Int64]
    let lengths: [Int32]
    let bytes: [UInt8]

    init(columns: ResultColumns, rowCount: Int, kinds: [Kind], payloads: [Int64], lengths: [Int32], bytes: [UInt8]) {
        (self.columns, self.rowCount, self.kinds, self.payloads, self.lengths, self.bytes) = (columns, rowCount, kinds, payloads, lengths, bytes)
    }

    /// The rows, for reading (see ``ResultRow``).
    var rows: [ResultRow] { (0..<rowCount).map { ResultRow(cells: self, row: $0) } }

    /// Collects cells row by row, in column order.
    struct Builder {
        let columnCount: Int
        private(set) var rowCount = 0
        private var kinds: [Kind] = []
        private var payloads: [Int64] = []
        private var lengths: [Int32] = []
        private var bytes: [UInt8] = []

        init(columnCount: Int) {
            self.columnCount = columnCount
        }

        mutating func null() { append(.null, 0, 0) }
        mutating func integer(_ value: Int64) { append(.integer, value, 0) }
        mutating func float(_ value: Double) { append(.float, Int64(bitPattern: value.bitPattern), 0) }
        mutating func text(_ value: UnsafeRawBufferPointer, kind: Kind = .text) {
            append(kind, Int64(bytes.count), Int32(clamping: value.count))
            bytes.append(contentsOf: value)
        }
        /// Marks the end of a row (its cells must number ``columnCount``).
        mutating func endRow() { rowCount += 1 }

        /// One SQLiteNIO value.
        mutating func append(_ data: SQLiteData) {
            switch data {
            case .integer(let value): integer(Int64(value))
            case .float(let value): float(value)
            case .text(var value): value.withUTF8 { text(UnsafeRawBufferPointer($0)) }
            case .blob(let value): value.withUnsafeReadableBytes { text($0, kind: .blob) }
            case .null: null()
            }
        }

        private mutating func append(_ kind: Kind, _ payload: Int64, _ length: Int32) {
            if kinds.isEmpty {
                kinds.reserveCapacity(columnCount * 16)
                payloads.reserveCapacity(columnCount * 16)
                lengths.reserveCapacity(columnCount * 16)
            }
            kinds.append(kind)
            payloads.append(payload)
            lengths.append(length)
        }

        func finish(columns: ResultColumns) -> ResultCells {
            ResultCells(columns: columns, rowCount: rowCount, kinds: kinds, payloads: payloads, lengths: lengths, bytes: bytes)
        }
    }

    /// SQLiteNIO's rows as cells (names from the first row).
    static func from(_ rows: [SQLiteRow]) -> ResultCells {
        let names = rows.first?.columns.map(\.name) ?? []
        var builder = Builder(columnCount: names.count)
        for row in rows {
            for column in row.columns { builder.append(column.data) }
            builder.endRow()
        }
        return builder.finish(columns: ResultColumns(names: names))
    }

    // MARK: Reading one cell

    @inline(__always)
    func index(_ row: Int, _ column: Int) -> Int? {
        column < columns.names.count ? row * columns.names.count + column : nil
    }

    /// The double stored (as its bits) in a float cell's payload.
    @inline(__always)
    private func floatPayload(_ cell: Int) -> Double { Double(bitPattern: UInt64(bitPattern: payloads[cell])) }

    @inline(__always)
    func kind(_ row: Int, _ column: Int) -> Kind {
        guard let cell = index(row, column) else { return .null }
        return kinds[cell]
    }

    /// The cell's text bytes (text and blob cells; empty for others).
    @inline(__always)
    func withBytes<R>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let cell = index(row, column), kinds[cell] == .text || kinds[cell] == .blob else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let start = Int(payloads[cell]), count = Int(lengths[cell])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<start + count])) }
    }

    func string(_ row: Int, _ column: Int) -> String? {
        guard let cell = index(row, column) else { return nil }
        switch kinds[cell] {
        case .null, .blob: return nil
        case .integer: return String(payloads[cell])
        case .float: return String(floatPayload(cell))
        case .text: return withBytes(row, column) { String(decoding: $0, as: UTF8.self) }
        }
    }

    func int(_ row: Int, _ column: Int) -> Int? {
        guard let cell = index(row, column) else { return nil }
        switch kinds[cell] {
        case .integer: return Int(payloads[cell])
        case .float: return Int(exactly: floatPayload(cell).rounded(.towardZero))
        case .text: return string(row, column).flatMap { Int($0) }
        case .null, .blob: return nil
        }
    }

    func double(_ row: Int, _ column: Int) -> Double? {
        guard let cell = index(row, column) else { return nil }
        switch kinds[cell] {
        case .integer: return Double(payloads[cell])
        case .float: return floatPayload(cell)
        case .text: return string(row, column).flatMap { Double($0) }
        case .null, .blob: return nil
        }
    }

    func bool(_ row: Int, _ column: Int) -> Bool? {
        guard let cell = index(row, column) else { return nil }
        switch kinds[cell] {
        case .integer: return payloads[cell] != 0
        case .float: return floatPayload(cell) != 0
        case .text: return string(row, column).map { $0 == "1" || $0.lowercased() == "true" }
        case .null, .blob: return nil
        }
    }

    func date(_ row: Int, _ column: Int) -> Date? {
        guard let cell = index(row, column) else { return nil }
        switch kinds[cell] {
        case .integer: return Date(timeIntervalSince1970: Double(payloads[cell]))
        case .float: return Date(timeIntervalSince1970: floatPayload(cell))
        // Text as SQLiteNIO reads it (ISO 8601 forms), so both row sources agree.
        case .text: return string(row, column).flatMap { Date(sqliteData: .text($0)) }
        case .null, .blob: return nil
        }
    }
}
