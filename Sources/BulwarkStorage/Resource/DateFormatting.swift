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
        let seconds = date.timeIntervalSince1970
        var whole = floor(seconds)
        var micros = Int(((seconds - whole) * 1_000_000).rounded())
        if micros >= 1_000_000 { whole += 1; micros = 0 }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: whole))
        let base = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
        return micros == 0 ? base + "Z" : base + String(format: ".%06dZ", micros)
    }

    /// `YYYY-MM-DD` of the UTC day containing `date`.
    public static func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Parses `YYYY-MM-DD` as midnight UTC; nil when malformed or not a real day.
    public static func parseDay(_ text: String) -> Date? {
        let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count <= 2, pieces[2].count <= 2,
              let y = Int(pieces[0]), let m = Int(pieces[1]), let d = Int(pieces[2]),
              (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == d
        else { return nil }
        return date
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
    public static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

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
