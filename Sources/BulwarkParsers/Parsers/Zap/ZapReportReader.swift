import BulwarkCore

/// One `<alertitem>` as the report spells it (text of the first child with each name, like
/// ElementTree's `findtext`; `nil` when the child is absent).
struct ZapAlert {
    /// Line of the `<alertitem>` start tag, for error positions.
    var line: Int
    var fields: [String: String] = [:]
    var instances: [ZapInstance] = []

    subscript(name: String) -> String? { fields[name] }
}

/// One `<instance>` of an alert.
struct ZapInstance {
    var line: Int
    var fields: [String: String] = [:]

    subscript(name: String) -> String? { fields[name] }
}

/// SAX handler that reads `OWASPZAPReport/site/alerts/alertitem` elements and their
/// `instances/instance` children and hands each alert over as soon as it ends, in document
/// order (so only one alert is held in memory at a time).
final class ZapReportReader: XMLEventHandler {
    private let onAlert: (ZapAlert) throws(ParseError) -> Void

    init(onAlert: @escaping (ZapAlert) throws(ParseError) -> Void) {
        self.onAlert = onAlert
    }

    /// Element names from the root down to the current element.
    private var path: [String] = []
    private var currentAlert: ZapAlert?
    private var currentInstance: ZapInstance?
    /// The element whose text is being collected and the depth it sits at.
    private var capture: (name: String, depth: Int)?
    /// Set once a child starts inside the captured element: ElementTree's `.text` stops there.
    private var captureSawChild = false
    private var capturedText = ""

    func didStartElement(_ name: String, attributes: [String: String], line: Int) throws(ParseError) {
        if path.isEmpty, name != "OWASPZAPReport" {
            throw ParseError(
                .unsupportedFormat,
                "The report is XML but not a ZAP XML report: the root element is <\(name)>, expected <OWASPZAPReport>.",
                position: .text(line: line, column: 1))
        }
        if capture != nil { captureSawChild = true }
        path.append(name)
        let depth = path.count
        switch depth {
        case 4 where name == "alertitem" && path[1] == "site" && path[2] == "alerts":
            currentAlert = ZapAlert(line: line)
        case 5 where currentAlert != nil:
            if currentAlert?.fields[name] == nil, name != "instances" { startCapture(name, depth) }
        case 6 where currentAlert != nil && name == "instance" && path[4] == "instances":
            currentInstance = ZapInstance(line: line)
        case 7 where currentInstance != nil:
            if currentInstance?.fields[name] == nil { startCapture(name, depth) }
        default:
            break
        }
    }

    func didEndElement(_ name: String, line: Int) throws(ParseError) {
        let depth = path.count
        if let capture, capture.depth == depth {
            if depth == 5 {
                currentAlert?.fields[capture.name] = capturedText
            } else if depth == 7 {
                currentInstance?.fields[capture.name] = capturedText
            }
            self.capture = nil
        }
        if depth == 6, let instance = currentInstance {
            currentAlert?.instances.append(instance)
            currentInstance = nil
        } else if depth == 4, let alert = currentAlert {
            currentAlert = nil
            try onAlert(alert)
        }
        path.removeLast()
    }

    func foundText(_ text: String) {
        guard let capture, capture.depth == path.count, !captureSawChild else { return }
        capturedText += text
    }

    private func startCapture(_ name: String, _ depth: Int) {
        capture = (name, depth)
        captureSawChild = false
        capturedText = ""
    }
}
