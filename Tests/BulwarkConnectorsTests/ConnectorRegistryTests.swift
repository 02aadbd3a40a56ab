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
        #expect(Set(ConnectorRegistry.descriptors.map(\.tool)).isSuperset(of: ["aws_security_hub", "dependency_track", "semgrep", "snyk", "sonarqube"]))
        #expect(Set(ConnectorRegistry.descriptors.map(\.scanType.rawValue)).count == ConnectorRegistry.descriptors.count)
    }
}
