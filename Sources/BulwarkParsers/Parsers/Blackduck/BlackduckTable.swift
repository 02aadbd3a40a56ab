/// A CSV export grouped by project (or component) id, exact duplicate rows removed.
struct BlackduckTable {
    /// Group keys in first-seen order (`nil` for rows without the key column).
    let keys: [String?]
    let groups: [String?: [CSVTable.Record]]

    init(_ table: CSVTable, name: String) throws(ParseError) {
        guard !table.header.isEmpty else {
            throw ParseError(.empty, "The \(name) has no header row.")
        }
        let keyColumn = table.header.contains("Project id") ? "Project id" : "Component id"
        var keys: [String?] = []
        var groups: [String?: [CSVTable.Record]] = [:]
        var seenRows: [String?: Set<[String]>] = [:]
        for record in table.records {
            let key = record[keyColumn]
            if groups[key] == nil {
                keys.append(key)
                groups[key] = []
            }
            guard seenRows[key, default: []].insert(record.values).inserted else { continue }
            groups[key, default: []].append(record)
        }
        self.keys = keys
        self.groups = groups
    }
}
