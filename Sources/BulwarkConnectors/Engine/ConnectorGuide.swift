/// Help for whoever configures a connector, from the tool's documentation: where the secret is
/// created and which permissions it needs, what the location is, and what each `extra` field
/// means. The API schema and the README show it.
public struct ConnectorGuide: Sendable, Hashable {
    /// A preset location the user picks from (a region).
    public struct LocationChoice: Sendable, Hashable {
        public var label: String
        public var url: String
        public init(_ label: String, _ url: String) {
            self.label = label
            self.url = url
        }
    }

    /// Where in the tool the secret is created and the permissions it needs.
    public var secret: String
    /// What the location is.
    public var location: String
    /// Preset locations (regions), when the tool has a fixed set.
    public var locationChoices: [LocationChoice]
    /// The meaning of each `extra` field, by name.
    public var fields: [String: String]

    public init(secret: String, location: String, locationChoices: [LocationChoice] = [], fields: [String: String] = [:]) {
        self.secret = secret
        self.location = location
        self.locationChoices = locationChoices
        self.fields = fields
    }
}
