import Foundation

/// DefectDojo's date and datetime text forms (`YYYY-MM-DD`, ISO-8601 UTC with microseconds).
public enum DateFormatting {
    private static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar
    }

    /// `2024-05-01T10:00:00.123456Z`, or without the fraction when it is zero, as DRF renders.
    public static func instant(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendInstant(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``instant(_:)``'s text to UTF-8 bytes.
    public static func appendInstant(_ date: Date, to out: inout [UInt8]) {
        let seconds = date.timeIntervalSince1970
        var whole = seconds.rounded(.down)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros = 0 }
        let total = Int(whole)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        JSONBytes.appendPadded(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONBytes.appendPadded(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONBytes.appendPadded(d, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        JSONBytes.appendPadded(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONBytes.appendPadded(secondOfDay % 3600 / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONBytes.appendPadded(secondOfDay % 60, width: 2, to: &out)
        if micros != 0 {
            out.append(UInt8(ascii: "."))
            JSONBytes.appendPadded(micros, width: 6, to: &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// `YYYY-MM-DD` of the UTC day containing `date`.
    public static func day(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let (y, m, d) = civil(fromDays: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        JSONBytes.appendPadded(y, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        JSONBytes.appendPadded(m, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        JSONBytes.appendPadded(d, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian), without Calendar.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `YYYY-MM-DD` as midnight UTC; nil when malformed or not a real day.
    public static func parseDay(_ text: String) -> Date? {
        // Fast path for the stored form (exactly `DDDD-DD-DD`); other spellings take the general one.
        if let (y, m, d) = fixedDayDigits(text) {
            guard (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
            return Date(timeIntervalSince1970: Double(days(fromCivil: y, m, d)) * 86_400)
        }
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, (1...2).contains(pieces[1].count), (1...2).contains(pieces[2].count),
              let y = Int(pieces[0]), let m = Int(pieces[1]), let d = Int(pieces[2]),
              (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y)
        else { return nil }
        return Date(timeIntervalSince1970: Double(days(fromCivil: y, m, d)) * 86_400)
    }

    /// Year, month and day of text that is exactly four digits, `-`, two digits, `-`, two digits.
    private static func fixedDayDigits(_ text: String) -> (Int, Int, Int)? {
        var text = text
        return text.withUTF8 { bytes -> (Int, Int, Int)? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of ``civil(fromDays:)``).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Parses ISO-8601 date-times (`2024-05-01T10:00`, `…:00Z`, `…:00.123+02:00`, space instead of `T`).
    public static func parseInstant(_ text: String) -> Date? {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        guard s.count >= 16 else { return nil }
        let datePart = s.prefix(10)
        guard let day = parseDay(String(datePart)) else { return nil }
        s = s.dropFirst(10)
        guard let sep = s.first, sep == "T" || sep == " " else { return nil }
        s = s.dropFirst()
        // Offset: Z, +HH:MM, -HH:MM, +HHMM or none (treated as UTC, as Django does with USE_TZ and UTC).
        var offsetSeconds = 0
        if s.hasSuffix("Z") || s.hasSuffix("z") {
            s = s.dropLast()
        } else if let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = s[s.index(after: signIndex)...].replacingOccurrences(of: ":", with: "")
            guard offset.count == 4 || offset.count == 2, let value = Int(offset) else { return nil }
            let hours = offset.count == 4 ? value / 100 : value
            let minutes = offset.count == 4 ? value % 100 : 0
            offsetSeconds = (hours * 3600 + minutes * 60) * (s[signIndex] == "-" ? -1 : 1)
            s = s[..<signIndex]
        }
        let timeParts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard timeParts.count == 2 || timeParts.count == 3,
              let hour = Int(timeParts[0]), let minute = Int(timeParts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        var seconds = 0.0
        if timeParts.count == 3 {
            guard let value = Double(timeParts[2]), value >= 0, value < 61 else { return nil }
            seconds = value
        }
        return day.addingTimeInterval(Double(hour * 3600 + minute * 60) + seconds - Double(offsetSeconds))
    }

    /// Midnight UTC of the day containing `date`.
    public static func startOfDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Adds whole days.
    public static func adding(days: Int, to date: Date) -> Date { date.addingTimeInterval(Double(days) * 86_400) }

    /// The first instant of the month / year containing `date`.
    public static func startOfMonth(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? startOfDay(date)
    }

    /// The first instant of the year containing `date`.
    public static func startOfYear(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year], from: date)) ?? startOfDay(date)
    }
}
