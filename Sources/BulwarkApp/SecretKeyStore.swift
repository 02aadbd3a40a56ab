import BulwarkServices
import Foundation

/// Where the key that seals connector secrets comes from: `BULWARK_SECRET_KEY`, else a key file
/// beside the SQLite database (`<database>.key`, created on first start with mode 0600).
/// PostgreSQL needs the variable (checked by ``AppConfig``).
struct SecretKeyStore {
    enum Source: Equatable {
        case environment
        case file(String)
        case ephemeral
    }

    let config: AppConfig
    let testing: Bool

    var source: Source {
        if config.secretKey != nil { return .environment }
        switch config.database {
        case .sqlite(let path) where !path.contains(":memory:"): return .file(path + ".key")
        default: return .ephemeral
        }
    }

    /// The cipher for this configuration, creating the key file when there is none.
    func cipher() throws -> SecretCipher {
        switch source {
        case .environment:
            return try SecretCipher(keyText: config.secretKey ?? "")
        case .file(let path):
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return try SecretCipher(keyText: text) }
            let key = SecretCipher.generateKeyText()
            try Self.writeKeyFile(key, to: path)
            return try SecretCipher(keyText: key)
        case .ephemeral:
            guard testing else { throw AppConfig.Invalid(problems: ["BULWARK_SECRET_KEY is required with this database"]) }
            return try SecretCipher(keyText: SecretCipher.generateKeyText())
        }
    }

    /// Writes a key file readable by its owner only.
    static func writeKeyFile(_ key: String, to path: String) throws {
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw AppConfig.Invalid(problems: ["cannot write the secret key file \(path)"])
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
