import BulwarkServices
import Testing

@Suite("Secret cipher")
struct SecretCipherTests {
    @Test("seals with a fresh nonce, opens with the same key, refuses another key")
    func roundTrip() throws {
        // Given
        let cipher = try SecretCipher(keyText: SecretCipher.generateKeyText())
        let other = try SecretCipher(keyText: SecretCipher.generateKeyText())
        // When
        let first = try cipher.seal("odt_token-123")
        let second = try cipher.seal("odt_token-123")
        // Then
        #expect(first.hasPrefix("v1:") && !first.contains("odt_token"))
        #expect(first != second)
        #expect(try cipher.open(first) == "odt_token-123")
        #expect(throws: SecretCipher.Failure.self) { try other.open(first) }
        #expect(throws: SecretCipher.Failure.self) { try cipher.open("plain text") }
    }

    @Test("keys are 32 bytes as base64 or hex")
    func keyFormats() throws {
        #expect(throws: SecretCipher.Failure.self) { try SecretCipher(keyText: "short") }
        _ = try SecretCipher(keyText: String(repeating: "ab", count: 32))
        _ = try SecretCipher(keyText: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    }
}
