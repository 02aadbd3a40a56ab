import Foundation

/// A finding as a parser reports it, before the importer stores it.
///
/// Fields follow DefectDojo's `Finding` model (the API names are given in each comment) and use
/// its defaults: `active` true, `verified` false, `dynamicFinding` true, `cwe` 0. Values the
/// importer decides (test, reporter, hash code, `date` when the report has none) are not here;
/// a parser leaves `date` `nil` rather than reading the clock.
public struct Finding: Sendable, Hashable, Codable {
    // MARK: Identity and text

    /// `title`: a short description of the flaw.
    public var title: String
    /// `severity`, already sanitised.
    public var severity: Severity
    /// `description`: longer text about the flaw (never `nil` in DefectDojo).
    public var description: String
    /// `mitigation`: how to fix it.
    public var mitigation: String?
    /// `impact`.
    public var impact: String?
    /// `steps_to_reproduce`.
    public var stepsToReproduce: String?
    /// `severity_justification`.
    public var severityJustification: String?
    /// `references`: links or citations, newline separated.
    public var references: String?
    /// `date`: when the flaw was found; `nil` lets the importer use the scan date or today.
    public var date: CalendarDate?

    // MARK: Classification

    /// `cwe`: the primary CWE number; DefectDojo's default is 0 ("none"), `nil` is a null CWE.
    public var cwe: Int?
    /// Every CWE number the report gives (DefectDojo `unsaved_cwes`), primary included.
    public var cwes: [Int]
    /// `cve`: the legacy single vulnerability id, synchronised with ``vulnerabilityIDs``.
    public var cve: String?
    /// Vulnerability ids such as CVE or GHSA ids, in report order (`unsaved_vulnerability_ids`).
    public var vulnerabilityIDs: [String]
    /// `cvssv3`: a CVSS 3.x vector.
    public var cvssV3: String?
    /// `cvssv3_score`.
    public var cvssV3Score: Double?
    /// `cvssv4`: a CVSS 4.0 vector.
    public var cvssV4: String?
    /// `cvssv4_score`.
    public var cvssV4Score: Double?
    /// `epss_score`, 0…1.
    public var epssScore: Double?
    /// `epss_percentile`, 0…1.
    public var epssPercentile: Double?
    /// `known_exploited` (CISA KEV).
    public var knownExploited: Bool
    /// `ransomware_used`.
    public var ransomwareUsed: Bool
    /// `kev_date`.
    public var kevDate: CalendarDate?
    /// `unique_id_from_tool`: the tool's stable id for this occurrence (dedupe key for some types).
    public var uniqueIDFromTool: String?
    /// `vuln_id_from_tool`: the tool's rule or plugin id.
    public var vulnIDFromTool: String?
    /// `scanner_confidence`: DefectDojo's 1 (certain) … 7 (tentative) scale.
    public var scannerConfidence: Int?

    // MARK: Location

    /// `file_path`.
    public var filePath: String?
    /// `line`.
    public var line: Int?
    /// `component_name`: the affected package or library.
    public var componentName: String?
    /// `component_version`.
    public var componentVersion: String?
    /// `endpoints` (unsaved): URLs for dynamic findings, in report order.
    public var endpoints: [EndpointURL]
    /// `param`: the vulnerable parameter.
    public var param: String?
    /// `payload`.
    public var payload: String?
    /// `service`: stamped by the importer when the caller gives one; part of `hash_code`.
    public var service: String?
    /// `sast_source_object`.
    public var sastSourceObject: String?
    /// `sast_sink_object`.
    public var sastSinkObject: String?
    /// `sast_source_line`.
    public var sastSourceLine: Int?
    /// `sast_source_file_path`.
    public var sastSourceFilePath: String?

    // MARK: Status

    /// `static_finding`.
    public var staticFinding: Bool
    /// `dynamic_finding`.
    public var dynamicFinding: Bool
    /// `active`.
    public var active: Bool
    /// `verified`.
    public var verified: Bool
    /// `false_p`.
    public var falsePositive: Bool
    /// `duplicate` (a report may flag its own duplicates; the importer decides the rest).
    public var duplicate: Bool
    /// `out_of_scope`.
    public var outOfScope: Bool
    /// `risk_accepted`.
    public var riskAccepted: Bool
    /// `under_review`.
    public var underReview: Bool
    /// `is_mitigated`.
    public var isMitigated: Bool
    /// `mitigated`: when it was fixed; an instant (naive report times are read as UTC).
    public var mitigated: Date?

    // MARK: Remediation and extras

    /// `fix_available`: `nil` when the report does not say.
    public var fixAvailable: Bool?
    /// `fix_version`.
    public var fixVersion: String?
    /// `nb_occurences` (DefectDojo's spelling): how many times the tool saw it.
    public var numberOfOccurrences: Int?
    /// `publish_date`.
    public var publishDate: CalendarDate?
    /// `planned_remediation_date`.
    public var plannedRemediationDate: CalendarDate?
    /// `planned_remediation_version`.
    public var plannedRemediationVersion: String?
    /// `effort_for_fixing`.
    public var effortForFixing: String?
    /// `thread_id`.
    public var threadID: Int
    /// Tags from the report (`unsaved_tags`), as written; DefectDojo lower-cases them on save.
    public var tags: [String]
    /// HTTP request/response pairs (`unsaved_req_resp`), e.g. from ZAP.
    public var requestResponsePairs: [RequestResponsePair]
    /// Attached files (`unsaved_files`).
    public var files: [FindingFile]

    /// Creates a finding with DefectDojo's defaults for everything not given.
    public init(title: String, severity: Severity, description: String = "") {
        self.title = title
        self.severity = severity
        self.description = description
        cwe = 0
        cwes = []
        vulnerabilityIDs = []
        knownExploited = false
        ransomwareUsed = false
        endpoints = []
        staticFinding = false
        dynamicFinding = true
        active = true
        verified = false
        falsePositive = false
        duplicate = false
        outOfScope = false
        riskAccepted = false
        underReview = false
        isMitigated = false
        threadID = 0
        tags = []
        requestResponsePairs = []
        files = []
    }

    /// DefectDojo's `numerical_severity` (`S0` … `S4`).
    public var numericalSeverity: String { severity.numericalSeverity }

    /// A copy with `cve` and ``vulnerabilityIDs`` synchronised as DefectDojo's importer does
    /// before hashing (import-semantics §3.3 step 5): blank ids are dropped; with both present
    /// the `cve` is put first; with only ids, `cve` becomes the first id; with only `cve`, the
    /// ids become `[cve]`.
    public func synchronizingCVE() -> Finding {
        var copy = self
        copy.vulnerabilityIDs = vulnerabilityIDs.filter { !PythonText.strip($0).isEmpty }
        let hasCVE = !(cve ?? "").isEmpty
        if !copy.vulnerabilityIDs.isEmpty, hasCVE, let cve {
            copy.vulnerabilityIDs.insert(cve, at: 0)
        } else if !copy.vulnerabilityIDs.isEmpty {
            copy.cve = copy.vulnerabilityIDs[0]
        } else if hasCVE, let cve {
            copy.vulnerabilityIDs = [cve]
        }
        return copy
    }
}

/// One HTTP exchange attached to a finding (DefectDojo `BurpRawRequestResponse`).
public struct RequestResponsePair: Sendable, Hashable, Codable {
    /// The raw request text.
    public var request: String
    /// The raw response text.
    public var response: String

    /// Creates a pair.
    public init(request: String, response: String) {
        self.request = request
        self.response = response
    }
}

/// A file a report attaches to a finding (DefectDojo `FileUpload`).
public struct FindingFile: Sendable, Hashable, Codable {
    /// The file's title; DefectDojo uses `<No title>` when the report has none.
    public var title: String
    /// The decoded file contents.
    public var data: Data

    /// Creates an attachment.
    public init(title: String, data: Data) {
        self.title = title
        self.data = data
    }
}
