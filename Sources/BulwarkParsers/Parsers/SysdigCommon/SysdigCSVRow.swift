import BulwarkCore
import Foundation

/// One row of a Sysdig CSV export (CLI scanner or Vulnerability Engine report), with the column
/// names DefectDojo's `sysdig_common` reads; absent columns are empty text.
struct SysdigCSVRow {
    /// Which CSV export a parser accepts.
    enum Flavor {
        /// `sysdig-cli-scanner` CSV (`CVE ID`, `CVE Severity`, …).
        case cli
        /// Vulnerability Engine report CSV (`Vulnerability ID` or, since 2025, `Vulnerability Name`).
        case reports
    }

    var line = 0
    var vulnerabilityID = "", severity = Severity.info, severityText = "Info"
    var packageName = "", packageVersion = "", packageType = "", packagePath = ""
    var image = "", osName = "", imageID = ""
    var cvssVersion = "", cvssScore = "", cvssVector = ""
    var vulnLink = "", publishDate = "", fixVersion = "", publicExploit = ""
    var clusterName = "", namespaceName = "", workloadType = "", workloadName = "", containerName = ""
    var suggestedFix = "", inUse = false, riskAccepted = false
    var registryName = "", registryRepository = "", registryVendor = ""
    var cloudProviderName = "", cloudProviderRegion = ""
    var epssScore = ""

    /// DefectDojo's `SysdigData._map_severity`: upper-cased, unknown values become Info.
    static func severity(_ raw: String) -> (Severity, String) {
        switch raw.uppercased() {
        case "CRITICAL": (.critical, "Critical")
        case "HIGH": (.high, "High")
        case "MEDIUM": (.medium, "Medium")
        case "LOW": (.low, "Low")
        default: (.info, "Info")
        }
    }

    /// DefectDojo's `clean_tags`: spaces, commas and quotes become underscores.
    static func cleanTag(_ tag: String) -> String {
        String(tag.map { " ,'\"".contains($0) ? "_" : $0 })
    }

    /// Python's `float(text)` for the CVSS columns; `nil` where Python raises ValueError.
    static func pythonFloat(_ text: String) -> Double? {
        let trimmed = PythonText.strip(text)
        guard !trimmed.isEmpty, !trimmed.lowercased().hasPrefix("0x") else { return nil }
        return Double(trimmed.replacingOccurrences(of: "_", with: ""))
    }

    /// Reads the rows the way `load_csv` does: lower-cased header, every row as wide as the header
    /// and starting with a CVE id, then the export's identifying column.
    static func rows(_ data: Data, flavor: Flavor) throws(ParseError) -> [SysdigCSVRow] {
        let table = try CSVTable(data: data)
        let header = table.header.map { $0.lowercased() }
        guard !header.isEmpty else { throw ParseError(.empty, "The CSV report has no header row.") }
        var columns: [String: Int] = [:]
        for (index, name) in header.enumerated() { columns[name] = index }
        for record in table.records {
            let width = columns.count + (record.values.count > header.count ? 1 : 0)
            guard width == header.count else {
                throw ParseError(
                    .invalidValue, "Number of fields in row (\(width)) does not match number of headers (\(header.count))",
                    position: .csv(line: record.line, column: nil))
            }
            let first = columns[header[0]].flatMap { $0 < record.values.count ? record.values[$0] : nil } ?? ""
            guard first.hasPrefix("CVE") else {
                throw ParseError(.invalidValue, "Expected 'CVE' at the start but got: \(first)", position: .csv(line: record.line, column: header[0]))
            }
        }
        switch flavor {
        case .cli:
            if columns["vulnerability id"] != nil {
                throw ParseError(.unsupportedFormat, "Unknown CSV format: Vulnerability ID column found, looks like a SysDig Vulnerability Report")
            }
            guard columns["cve id"] != nil else { throw ParseError(.unsupportedFormat, "Unknown CSV format: expected CVE ID column") }
        case .reports:
            if columns["cve id"] != nil {
                throw ParseError(.unsupportedFormat, "Unknown CSV format: CVE ID column found, looks like a SysDig CLI Report")
            }
            guard columns["vulnerability id"] != nil || columns["vulnerability name"] != nil else {
                throw ParseError(.unsupportedFormat, "Unknown CSV format: expected either 'Vulnerability ID' or 'Vulnerability Name' column")
            }
        }
        return table.records.map { record in
            let value = { (name: String) -> String in
                guard let index = columns[name], index < record.values.count else { return "" }
                return record.values[index]
            }
            var row = SysdigCSVRow()
            row.line = record.line
            switch flavor {
            case .cli: row.readCLI(value)
            case .reports where columns["vulnerability id"] != nil: row.readEngine(value)
            case .reports: row.read2025(value)
            }
            return row
        }
    }

    private mutating func readCLI(_ value: (String) -> String) {
        vulnerabilityID = value("cve id")
        (severity, severityText) = Self.severity(value("cve severity"))
        cvssScore = value("cvss score")
        cvssVersion = value("cvss score version")
        readPackage(value)
        fixVersion = value("fix version")
        vulnLink = value("cve url")
        publishDate = value("vuln disclosure date")
        riskAccepted = value("risk accepted") == "TRUE"
        epssScore = value("epss score")
    }

    private mutating func readEngine(_ value: (String) -> String) {
        vulnerabilityID = value("vulnerability id")
        (severity, severityText) = Self.severity(value("severity"))
        readPackage(value)
        image = value("image")
        osName = value("os name")
        readCVSS(value)
        vulnLink = value("vuln link")
        publishDate = value("vuln publish date")
        fixVersion = value("fix version")
        publicExploit = value("public exploit")
        clusterName = value("k8s cluster name")
        namespaceName = value("k8s namespace name")
        workloadType = value("k8s workload type")
        workloadName = value("k8s workload name")
        containerName = value("k8s container name")
        imageID = value("image id")
        suggestedFix = value("package suggested fix")
        inUse = value("in use") == "TRUE"
        riskAccepted = value("risk accepted") == "TRUE"
        registryName = value("registry name")
        registryRepository = value("registry image repository")
        cloudProviderName = value("cloud provider name")
        // DefectDojo looks the account id up under a mixed-case name the lower-cased header never
        // has, so it is always empty.
        cloudProviderRegion = value("cloud provider region")
        registryVendor = value("registry vendor")
    }

    private mutating func read2025(_ value: (String) -> String) {
        vulnerabilityID = value("vulnerability name")
        (severity, severityText) = Self.severity(value("vulnerability severity"))
        readPackage(value)
        image = value("image name")
        osName = value("os name")
        readCVSS(value)
        publishDate = value("disclosure date")
        fixVersion = value("fix version")
        publicExploit = value("public exploit")
        clusterName = value("kubernetes cluster name")
        namespaceName = value("kubernetes namespace name")
        workloadType = value("kubernetes workload type")
        workloadName = value("kubernetes workload name")
        containerName = value("kubernetes container name")
        imageID = value("image id")
        inUse = value("package in use").lowercased() == "true"
        riskAccepted = value("risk accepted").lowercased() == "true"
    }

    private mutating func readPackage(_ value: (String) -> String) {
        packageName = value("package name")
        packageVersion = value("package version")
        packageType = value("package type")
        packagePath = value("package path")
    }

    private mutating func readCVSS(_ value: (String) -> String) {
        cvssVersion = value("cvss version")
        cvssScore = value("cvss score")
        cvssVector = value("cvss vector")
    }
}
