import ArgumentParser
import Foundation

/// The token signing secret: `GOLDENPATH_JWT_SECRET`, else the contents of `<journal>.secret`, created once
/// (mode 0600, 32 random bytes as hex) beside the journal — never inside it.
/// - Throws: `ValidationError` when the file cannot be read or created.
func signingSecret(forJournalAt journalPath: String) throws -> String {
    if let secret = ProcessInfo.processInfo.environment["GOLDENPATH_JWT_SECRET"], !secret.isEmpty { return secret }
    let secretPath = journalPath + ".secret"
    if let data = FileManager.default.contents(atPath: secretPath) {
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.count >= 32 else { throw ValidationError("\(secretPath) holds no usable secret") }
        return secret
    }
    var generator = SystemRandomNumberGenerator()
    let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    // Created with mode 0600 from the start (O_EXCL: never overwrite a secret another process just made).
    let descriptor = open(secretPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard descriptor >= 0 else { throw ValidationError("cannot create \(secretPath)") }
    defer { _ = close(descriptor) }
    let bytes = Array((secret + "\n").utf8)
    guard write(descriptor, bytes, bytes.count) == bytes.count else {
        throw ValidationError("cannot write \(secretPath)")
    }
    return secret
}
