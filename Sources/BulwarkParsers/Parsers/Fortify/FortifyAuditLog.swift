/// The issues listed in an FPR's `audit.xml`: any listed instance counts as audited (DefectDojo
/// marks it inactive and a false positive), and its threaded comments become the impact.
struct FortifyAuditLog {
    var auditedIDs: Set<String> = []
    var comments: [String: [String]] = [:]

    static func read(_ input: ScanInput) throws(ParseError) -> FortifyAuditLog {
        var log = FortifyAuditLog()
        let reader = XMLRecordReader(records: ["/Audit/IssueList/Issue"], formatName: "Fortify audit.xml")
        _ = try reader.read(input) { (record: XMLRecord) throws(ParseError) in
            guard let id = record.element.attribute("instanceId"), !id.isEmpty else { return }
            log.auditedIDs.insert(id)
            if let thread = record.element.fortifyChild("ThreadedComments") {
                log.comments[id] = thread.children.filter { $0.localName == "Comment" }.map { comment in
                    "\(comment.fortifyChildText("Timestamp") ?? "") - (\(comment.fortifyChildText("Username") ?? "")): \(comment.fortifyChildText("Content") ?? "")"
                }
            }
        }
        return log
    }
}
