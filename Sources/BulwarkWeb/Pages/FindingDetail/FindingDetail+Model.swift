import BulwarkServices

/// `/finding/{id}`: every field of a finding, its endpoints, notes, history, tags and duplicates, and the triage actions.
enum FindingDetail {
    /// An endpoint of the finding with its status.
    struct Endpoint: Sendable, Equatable {
        var url: String
        var mitigated: Bool
    }

    /// A note on the finding.
    struct Note: Sendable, Equatable {
        var id: Int
        var author: String
        var date: String
        var entry: String
        var isPrivate: Bool
    }

    /// One import that touched the finding.
    struct HistoryEntry: Sendable, Equatable {
        var date: String
        var kind: String
        var action: String
        var test: Int
    }

    /// One recorded change of the finding (the audit log): who did what, and which fields changed.
    struct ChangeEntry: Sendable, Equatable {
        var date: String
        var actor: String
        var action: String
        /// `field: before → after`, one per changed field.
        var summary: [String]
    }

    /// A finding in the same duplicate cluster.
    struct Related: Sendable, Equatable {
        var id: Int
        var title: String
        var status: String
        var isOriginal: Bool
    }

    /// Everything the detail page shows.
    struct Model: Sendable, Equatable {
        var id: Int
        var title: String
        var severity: String
        var status: String
        var flags: FindingFlags
        var product: (id: Int, name: String)
        var engagement: (id: Int, name: String)
        var test: (id: Int, title: String)
        /// Label/value pairs of every stored field, in DefectDojo's order.
        var fields: [(String, String)]
        var description: String
        var mitigation: String
        var impact: String
        var references: String
        var endpoints: [Endpoint]
        var notes: [Note]
        var history: [HistoryEntry]
        var changes: [ChangeEntry] = []
        var tags: [String]
        var duplicates: [Related]
        var canWrite: Bool
        var csrfToken: String

        static func == (lhs: Model, rhs: Model) -> Bool {
            lhs.id == rhs.id && lhs.title == rhs.title && lhs.status == rhs.status && lhs.fields.map { $0.0 } == rhs.fields.map { $0.0 }
                && lhs.fields.map { $0.1 } == rhs.fields.map { $0.1 } && lhs.notes == rhs.notes && lhs.tags == rhs.tags && lhs.endpoints == rhs.endpoints
                && lhs.history == rhs.history && lhs.changes == rhs.changes && lhs.duplicates == rhs.duplicates && lhs.canWrite == rhs.canWrite
        }
    }
}
