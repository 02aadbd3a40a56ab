import BulwarkCore
import Foundation

/// Reads the timestamps tools send: ISO 8601 with `Z`, `+0000` or `+00:00` offsets and optional
/// fractions (`2026-09-14T10:02:11+0000`, `2026-11-12T08:00:00.000Z`), and Dependency-Track's
/// `2026-11-10 09:12:33.101` (UTC). Hand-written: fast, and no shared formatter state.
public enum ToolTimestamp {
    /// The instant, or `nil` when the text is not one of the accepted forms.
    public static func instant(_ text: String?) -> Date? {
        guard let text else { return nil }
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else {
            if bytes.count == 10, let day = CalendarDate(iso8601: text) { return day.startOfDayUTC }
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 84 || bytes[10] == 32 || bytes[10] == 116, bytes[13] == 58, bytes[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), CalendarDate(year: year, month: month, day: day) != nil,
              hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == 90 || sign == 122 {
                index += 1
            } else if sign == 43 || sign == 45 {
                let rest = Array(bytes[(index + 1)...]).filter { $0 != 58 }
                guard rest.count == 4, let hours = Int(String(decoding: rest[0..<2], as: UTF8.self)),
                      let minutes = Int(String(decoding: rest[2..<4], as: UTF8.self)) else { return nil }
                offset = (hours * 3600 + minutes * 60) * (sign == 45 ? -1 : 1)
                index = bytes.count
            } else {
                return nil
            }
        }
        guard index == bytes.count, let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        let seconds = Double(hour * 3600 + minute * 60 + second) + fraction - Double(offset)
        return date.startOfDayUTC.addingTimeInterval(seconds)
    }

    /// The UTC day of the instant, or `nil`.
    public static func day(_ text: String?) -> CalendarDate? {
        instant(text).map { CalendarDate(utcDayOf: $0) }
    }
}
