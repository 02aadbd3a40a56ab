import BulwarkCore
import Foundation

/// Which of its two formats a Sysdig report is in, decided like DefectDojo: by the file name's
/// extension; a report without a name is sniffed (a leading `{` means JSON, anything else CSV).
enum SysdigFormat {
    case json, csv, other

    static func of(_ input: ScanInput) throws(ParseError) -> SysdigFormat {
        guard input.filename != nil else {
            let head = try input.prefix(1024)
            let start = head.drop(while: { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) })
            return start.first == 0x7B ? .json : .csv
        }
        switch input.fileExtension {
        case "json": return .json
        case "csv": return .csv
        default: return .other
        }
    }
}
