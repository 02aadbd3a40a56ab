import Foundation

/// A CSV table read like Python's `csv.DictReader(delimiter=",", quotechar='"')` (another
/// delimiter may be given, e.g. `;` for Prowler): quoted fields
/// may hold commas, doubled quotes and line breaks; a quote inside an unquoted field is literal;
/// blank lines are skipped; the first record is the header.
struct CSVTable {
    /// One data record.
    struct Record {
        /// The 1-based line the record starts on.
        let line: Int
        /// Values in column order (may be shorter or longer than the header).
        let values: [String]
        /// Column name to index of the *last* column with that name (as `DictReader` keeps).
        let columns: [String: Int]

        /// The value of a column; `nil` when the header has no such column or the record is
        /// too short (DictReader's `None`).
        subscript(column: String) -> String? {
            guard let index = columns[column], index < values.count else { return nil }
            return values[index]
        }

        /// Whether the header has the column at all (DictReader's `"X" in row`).
        func has(_ column: String) -> Bool { columns[column] != nil }
    }

    /// The header row.
    let header: [String]
    /// The data records.
    let records: [Record]

    /// Parses UTF-8 CSV text.
    /// - Parameter delimiter: The field separator, `,` unless given.
    /// - Throws: ``ParseError`` for text that is not UTF-8 or a quoted field never closed.
    init(data: Data, delimiter: Unicode.Scalar = ",") throws(ParseError) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = CSVTable.firstInvalidUTF8Offset(in: bytes)
            throw ParseError(.malformedInput, "The report is not UTF-8 text.", position: .byteOffset(offset))
        }
        let rows = try CSVTable.rows(of: text, delimiter: delimiter)
        guard let first = rows.first else {
            header = []
            records = []
            return
        }
        header = first.values
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() { columns[name] = index }
        records = rows.dropFirst().map { Record(line: $0.line, values: $0.values, columns: columns) }
    }

    private static func rows(of text: String, delimiter: Unicode.Scalar) throws(ParseError) -> [(line: Int, values: [String])] {
        enum State { case startRecord, startField, inField, inQuotedField, quoteInQuotedField }
        var rows: [(line: Int, values: [String])] = []
        var values: [String] = []
        var field = String.UnicodeScalarView()
        var state = State.startRecord
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var previousWasCR = false

        func endField() {
            values.append(String(field))
            field = String.UnicodeScalarView()
        }
        func endRecord() {
            endField()
            rows.append((recordLine, values))
            values = []
        }

        for scalar in text.unicodeScalars {
            let isNewline = scalar == "\n" || scalar == "\r"
            // "\r\n" is one line break.
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                if state == .inQuotedField { field.append(scalar) }
                continue
            }
            previousWasCR = scalar == "\r"
            switch state {
            case .startRecord:
                if isNewline {
                    line += 1
                    continue
                }
                recordLine = line
                state = .startField
                fallthrough
            case .startField:
                if scalar == "\"" {
                    state = .inQuotedField
                    quoteLine = line
                } else if scalar == delimiter {
                    endField()
                } else if isNewline {
                    endRecord()
                    line += 1
                    state = .startRecord
                } else {
                    field.append(scalar)
                    state = .inField
                }
            case .inField:
                if scalar == delimiter {
                    endField()
                    state = .startField
                } else if isNewline {
                    endRecord()
                    line += 1
                    state = .startRecord
                } else {
                    field.append(scalar)
                }
            case .inQuotedField:
                if scalar == "\"" {
                    state = .quoteInQuotedField
                } else {
                    if isNewline { line += 1 }
                    field.append(scalar)
                }
            case .quoteInQuotedField:
                if scalar == "\"" {
                    field.append(scalar)
                    state = .inQuotedField
                } else if scalar == delimiter {
                    endField()
                    state = .startField
                } else if isNewline {
                    endRecord()
                    line += 1
                    state = .startRecord
                } else {
                    field.append(scalar)
                    state = .inField
                }
            }
        }
        switch state {
        case .startRecord:
            break
        case .inQuotedField:
            throw ParseError(
                .malformedInput, "A quoted field is never closed (is the file truncated?).",
                position: .csv(line: quoteLine, column: nil))
        default:
            endRecord()
        }
        return rows
    }

    private static func firstInvalidUTF8Offset(in data: Data) -> Int {
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count,
                  String(validating: bytes[index..<index + length], as: UTF8.self) != nil else { return index }
            index += length
        }
        return index
    }
}
