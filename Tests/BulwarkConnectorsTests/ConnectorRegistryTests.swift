import BulwarkConnectors
import Testing

@Suite("Connector registry")
struct ConnectorRegistryTests {
    @Test("tools are unique and every scan type names its tool")
    func uniqueTools() {
        // Given / When
        let duplicates = ConnectorRegistry.duplicateTools()
        // Then
        #expect(duplicates.isEmpty)
        let tools = Set(ConnectorRegistry.descriptors.map(\.tool))
        #expect(tools.isSuperset(of: ["dependency_track", "semgrep", "snyk", "sonarqube", "checkmarx_one", "wiz", "burp_dast", "probely", "aws_security_hub", "tenable_io", "anchore"]))
        #expect(Set(ConnectorRegistry.descriptors.map(\.scanType.rawValue)).count == tools.count)
    }

    @Test("token and GraphQL tools document where their secret is created and what it needs")
    func guides() throws {
        for tool in ["checkmarx_one", "wiz", "burp_dast", "probely", "aws_security_hub", "tenable_io", "anchore"] {
            let guide = try #require(ConnectorRegistry.guide(for: tool))
            let descriptor = try #require(ConnectorRegistry.descriptor(for: tool))
            #expect(!guide.secret.isEmpty && !guide.location.isEmpty)
            #expect(Set(guide.fields.keys).isSubset(of: Set(descriptor.requiredExtra + descriptor.optionalExtra)))
            #expect(descriptor.requiredExtra.allSatisfy { guide.fields[$0] != nil })
        }
        #expect(ConnectorRegistry.guide(for: "probely")?.locationChoices.map(\.label) == ["US", "EU"])
    }
}
