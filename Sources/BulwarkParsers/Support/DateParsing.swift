import BulwarkCore
import Foundation

/// A date and optional time read from report text, like `dateutil.parser.parse` gives it.
struct ParsedDateTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour = 0
    var minute = 0
    var second = 0
    var nanosecond = 0
    /// Seconds east of UTC; `nil` for a naive time.
    var utcOffset: Int?

    /// The calendar day as written (`datetime.date()`, no time-zone conversion).
    var calendarDate: CalendarDate? { CalendarDate(year: year, month: month, day: day) }

    /// The day in UTC, as Django stores an aware datetime in a `DateField`.
    var utcCalendarDate: CalendarDate? {
        guard utcOffset != nil, let instant else { return calendarDate }
        return CalendarDate(utcDayOf: instant)
    }

    /// The instant; a naive time is read as UTC (DefectDojo's default time zone).
    var instant: Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = DateComponents(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        guard CalendarDate(year: year, month: month, day: day) != nil,
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              let date = calendar.date(from: parts) else { return nil }
        return date.addingTimeInterval(-Double(utcOffset ?? 0))
    }
}

/// Date parsing for report fields: ISO 8601 (`isoparse`) and the common shapes
/// `dateutil.parser.parse` accepts (`28/02/2021`, `02/28/2021`, `Jan 24, 2024 10:00`, …).
enum DateParsing {
    /// `dateutil.parser.isoparse`-style ISO 8601: `YYYY-MM-DD`, optionally `T`/space and
    /// `HH:MM[:SS[.fff]]`, optionally `Z` or `±HH[:MM]`. Also accepts `YYYYMMDD`.
    static func iso8601(_ raw: String) -> ParsedDateTime? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[index..<index + count] {
                guard ("0"..."9").contains(scalar) else { return nil }
                value = value * 10 + Int(scalar.value - 48)
            }
            index += count
            return value
        }
        func accept(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }
        guard let year = digits(4) else { return nil }
        let extended = accept("-")
        guard let month = digits(2) else { return nil }
        if extended { guard accept("-") else { return nil } }
        guard let day = digits(2) else { return nil }
        var result = ParsedDateTime(year: year, month: month, day: day)
        if index < scalars.count {
            guard accept("T") || accept(" ") || accept("t") else { return nil }
            guard let hour = digits(2) else { return nil }
            result.hour = hour
            let colon = accept(":")
            if let minute = digits(2) {
                result.minute = minute
                if !colon || accept(":") || (index < scalars.count && ("0"..."9").contains(scalars[index])) {
                    if let second = digits(2) { result.second = second }
                }
                if accept(".") || accept(",") {
                    var fraction = ""
                    while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                        fraction.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    let padded = (fraction + "000000000").prefix(9)
                    result.nanosecond = Int(padded) ?? 0
                }
            }
            if accept("Z") || accept("z") {
                result.utcOffset = 0
            } else if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" {
                let sign = scalars[index] == "-" ? -1 : 1
                index += 1
                guard let hours = digits(2) else { return nil }
                _ = accept(":")
                let minutes = digits(2) ?? 0
                result.utcOffset = sign * (hours * 3600 + minutes * 60)
            }
            guard index == scalars.count else { return nil }
        }
        guard result.calendarDate != nil, result.instant != nil else { return nil }
        return result
    }

    private static let monthNames: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
        "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]
    private static let weekdayNames: Set<String> = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday",
        "fri", "friday", "sat", "saturday", "sun", "sunday",
    ]

    /// `dateutil.parser.parse` for the shapes found in reports. Numeric dates are month-first
    /// unless the first number cannot be a month (`28/02/2021` is 28 February), as dateutil does.
    static func flexible(_ raw: String) -> ParsedDateTime? {
        flexible(raw, dayFirst: false)
    }

    /// ``flexible(_:)``; with `dayFirst` (`parse(…, dayfirst=True)`) an ambiguous `05/03/2020` is
    /// 5 March.
    static func flexible(_ raw: String, dayFirst: Bool) -> ParsedDateTime? {
        if let iso = iso8601(raw) { return iso }
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        var numbers: [Int] = []
        var numberWidths: [Int] = []
        var month: Int?
        var time: (Int, Int, Int, Int)?
        var offset: Int?
        var pm: Bool?
        for token in tokens(text) {
            let lower = token.lowercased()
            if let value = monthNames[lower] {
                guard month == nil else { return nil }
                month = value
            } else if weekdayNames.contains(lower) || lower == "at" || lower == "of" {
                continue
            } else if lower == "am" || lower == "pm" {
                pm = lower == "pm"
            } else if lower == "utc" || lower == "gmt" || lower == "z" {
                offset = 0
            } else if token.contains(":") {
                let parts = token.split(separator: ":").map { $0.split(separator: ".").first.flatMap { Int($0) } }
                guard parts.count >= 2, parts.allSatisfy({ $0 != nil }) else { return nil }
                let fraction = token.split(separator: ".").dropFirst().first.map { Int(($0 + "000000000").prefix(9)) ?? 0 } ?? 0
                time = (parts[0]!, parts[1]!, parts.count > 2 ? parts[2]! : 0, fraction)
            } else if (token.hasPrefix("+") || token.hasPrefix("-")), token.count == 5 || token.count == 6,
                      time != nil {
                let digitsOnly = token.dropFirst().replacingOccurrences(of: ":", with: "")
                guard digitsOnly.count == 4, let hours = Int(digitsOnly.prefix(2)), let minutes = Int(digitsOnly.suffix(2)) else { return nil }
                offset = (token.hasPrefix("-") ? -1 : 1) * (hours * 3600 + minutes * 60)
            } else if let value = Int(token) {
                numbers.append(value)
                numberWidths.append(token.count)
            } else {
                return nil
            }
        }
        var year: Int?
        var day: Int?
        if let month {
            // "24 January 2024", "January 24, 2024", "2024 Jan 24".
            guard numbers.count == 2 else { return nil }
            if numberWidths[0] == 4 || numbers[0] > 31 {
                year = numbers[0]
                day = numbers[1]
            } else {
                day = numbers[0]
                year = numbers[1]
            }
            return assemble(year: year!, month: month, day: day!, yearWidth: 4, time: time, pm: pm, offset: offset)
        }
        guard numbers.count == 3 else { return nil }
        var resolvedMonth: Int
        if numberWidths[0] == 4 || numbers[0] > 31 {
            // Year first: Y/M/D.
            year = numbers[0]
            resolvedMonth = numbers[1]
            day = numbers[2]
        } else if numbers[0] > 12 {
            // dateutil swaps to day-first when the first number cannot be a month.
            day = numbers[0]
            resolvedMonth = numbers[1]
            year = numbers[2]
        } else if numbers[1] > 12 {
            resolvedMonth = numbers[0]
            day = numbers[1]
            year = numbers[2]
        } else if dayFirst {
            day = numbers[0]
            resolvedMonth = numbers[1]
            year = numbers[2]
        } else {
            resolvedMonth = numbers[0]
            day = numbers[1]
            year = numbers[2]
        }
        let yearWidth = numberWidths[numbers.firstIndex(of: year!) ?? 2]
        return assemble(year: year!, month: resolvedMonth, day: day!, yearWidth: yearWidth, time: time, pm: pm, offset: offset)
    }

    private static func assemble(
        year: Int, month: Int, day: Int, yearWidth: Int, time: (Int, Int, Int, Int)?, pm: Bool?, offset: Int?
    ) -> ParsedDateTime? {
        // Two-digit years: 00-68 → 2000s, 69-99 → 1900s (a fixed pivot; no clock).
        let fullYear = yearWidth <= 2 ? (year < 69 ? 2000 + year : 1900 + year) : year
        var result = ParsedDateTime(year: fullYear, month: month, day: day)
        if let time {
            var hour = time.0
            if let pm {
                if pm, hour < 12 { hour += 12 }
                if !pm, hour == 12 { hour = 0 }
            }
            result.hour = hour
            result.minute = time.1
            result.second = time.2
            result.nanosecond = time.3
        }
        result.utcOffset = offset
        guard result.calendarDate != nil, result.instant != nil else { return nil }
        return result
    }

    /// Splits on spaces, commas, slashes, dots and dashes between numbers, keeping times
    /// (`10:30:00.5`) and signed offsets (`+02:00`) whole.
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "," || character == "/" || character == "\t" {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else if character == "-" || character == "." {
                let partOfTime = current.contains(":") && character == "."
                let startsOffset = character == "-" && current.isEmpty && tokens.last?.contains(":") == true
                if partOfTime || startsOffset {
                    current.append(character)
                } else {
                    if !current.isEmpty { tokens.append(current) }
                    current = ""
                }
            } else if character == "+" {
                if !current.isEmpty { tokens.append(current) }
                current = "+"
            } else {
                current.append(character)
            }
            index += 1
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
