import Foundation

/// The connector pages: the list with each connector's health, and one connector's records
/// (with bulk mapping to products) and operations (with their counters and errors).
enum ConnectorPages {
    /// A connector as the list shows it.
    struct Summary: Sendable, Equatable {
        var id: Int
        var tool: String
        var label: String
        var location: String
        var health: String
        var enabled: Bool
        var records: Int
        var mapped: Int
        var lastSync: String
    }

    /// The list page.
    struct ListModel: Sendable, Equatable {
        var connectors: [Summary]
    }

    /// A record of the tool (a project, repository or application) and where it goes.
    struct Record: Sendable, Equatable {
        var id: Int
        var name: String
        var externalID: String
        var state: String
        var product: String
        var lastSync: String
        var lastError: String
    }

    /// One validate, discover or sync run.
    struct Operation: Sendable, Equatable {
        var id: Int
        var type: String
        var trigger: String
        var status: String
        var started: String
        var counters: String
        var error: String
    }

    /// The detail page.
    struct DetailModel: Sendable, Equatable {
        var summary: Summary
        var healthMessage: String
        var intervals: String
        var records: [Record]
        var operations: [Operation]
        /// Products a record can be mapped to (id, name).
        var products: [ProductChoice]
        var csrfToken: String
    }

    /// A product offered by the mapping form.
    struct ProductChoice: Sendable, Equatable {
        var id: Int
        var name: String
    }
}
