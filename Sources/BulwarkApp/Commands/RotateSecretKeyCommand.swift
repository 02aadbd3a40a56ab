import BulwarkAPI
import BulwarkServices
import BulwarkStorage
import Fluent
import SQLKit
import Vapor

/// `bulwark rotate-secret-key [--new-key K]`: re-encrypts every connector secret with a new key in
/// one transaction. With a key file the file is replaced; with `BULWARK_SECRET_KEY` the new key is
/// printed once and must replace the variable before the next start.
struct RotateSecretKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "new-key", help: "The new key (32 bytes, base64); generated when omitted")
        var newKey: String?
    }

    var help: String { "Re-encrypts every connector secret with a new key." }

    let keys: SecretKeyStore

    func run(using context: CommandContext, signature: Signature) async throws {
        let current = try keys.cipher()
        let newKeyText = signature.newKey ?? SecretCipher.generateKeyText()
        let next = try SecretCipher(keyText: newKeyText)
        let (count, skipped) = try await WriteTransaction.run(on: context.application.db) { db -> (Int, [Int]) in
            let rows = try await db.rows("SELECT id, secret_ciphertext FROM connectors WHERE secret_ciphertext IS NOT NULL")
            var rotated = 0
            var skipped: [Int] = []
            for row in rows {
                guard let id = try row.int("id"), let sealed = try row.string("secret_ciphertext") else { continue }
                guard let secret = try? current.open(sealed) else {
                    skipped.append(id)
                    continue
                }
                try await db.raw("UPDATE connectors SET secret_ciphertext = \(bind: try next.seal(secret)) WHERE id = \(bind: id)").run()
                rotated += 1
            }
            return (rotated, skipped)
        }
        for id in skipped {
            context.console.warning("Connector \(id): its secret cannot be decrypted with the current key; left as it is.")
        }
        switch keys.source {
        case .file(let path):
            try SecretKeyStore.writeKeyFile(newKeyText, to: path)
            context.console.print("Re-encrypted \(count) secret(s); the new key is in \(path).")
        case .environment, .ephemeral:
            context.console.print("Re-encrypted \(count) secret(s). Set BULWARK_SECRET_KEY to this new key before the next start (shown once):")
            context.console.print(newKeyText)
        }
    }
}
