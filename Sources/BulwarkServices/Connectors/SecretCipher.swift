import Crypto
import Foundation

/// Encrypts connector secrets at rest with AES-256-GCM. Stored form: `v1:` + base64 of the
/// sealed box (nonce, ciphertext, tag). A database dump without the key reveals nothing.
public struct SecretCipher: Sendable {
    /// Why a key or a stored secret could not be used.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    private let key: SymmetricKey

    /// A cipher with a 32-byte key given as base64 (44 characters) or hex (64 characters).
    public init(keyText: String) throws(Failure) {
        let text = keyText.trimmingCharacters(in: .whitespacesAndNewlines)
        if let data = Data(base64Encoded: text), data.count == 32 {
            key = SymmetricKey(data: data)
        } else if text.count == 64, let data = Self.hex(text) {
            key = SymmetricKey(data: data)
        } else {
            throw Failure("the secret key must be 32 bytes as base64 (44 characters) or hex (64 characters)")
        }
    }

    /// A new random key as base64, for the key file and `rotate-secret-key`.
    public static func generateKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The stored form of `secret`.
    public func seal(_ secret: String) throws(Failure) -> String {
        do {
            let box = try AES.GCM.seal(Data(secret.utf8), using: key)
            guard let combined = box.combined else { throw Failure("sealing failed") }
            return "v1:" + combined.base64EncodedString()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("sealing failed")
        }
    }

    /// The clear secret of a stored value; fails when the key is not the one it was sealed with.
    public func open(_ stored: String) throws(Failure) -> String {
        guard stored.hasPrefix("v1:"), let data = Data(base64Encoded: String(stored.dropFirst(3))) else {
            throw Failure("the stored secret is not in a known format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw Failure("the stored secret cannot be decrypted with the current key (was BULWARK_SECRET_KEY changed?)")
        }
    }

    static func hex(_ text: String) -> Data? {
        var data = Data()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
