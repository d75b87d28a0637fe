import Foundation
import Logging
import NIOCore

/// The web console's files (HTML, CSS, JavaScript modules, the icon), read once from the package resources into
/// memory, each with its content type and an entity tag.
///
/// SwiftPM copies `Sources/Gateway/Resources/console` into the `GoldenPath_Gateway` resource bundle beside the
/// executable (or the test bundle). The bundle is looked up here in the places SwiftPM puts it rather than through
/// the generated `Bundle.module`, which traps when the bundle is missing: a server moved without its resources
/// still serves the API and answers the console's routes with 503.
struct ConsoleAssets: Sendable {
    /// One file.
    struct Asset: Sendable {
        /// The file's bytes.
        var body: ByteBuffer
        /// `Content-Type`, with a charset for text.
        var contentType: String
        /// A strong entity tag of the bytes (`"…"`, quotes included).
        var etag: String
    }

    /// The files by name (`chat.js`, `index.html`, …), flat: the console has no subfolders.
    let files: [String: Asset]

    /// The bundle's name as SwiftPM builds it: `<package>_<target>`.
    static let bundleName = "GoldenPath_Gateway"

    /// Reads every file of the console folder; empty (and logged) when the folder cannot be found.
    init(logger: Logger) {
        guard let folder = Self.locateFolder() else {
            logger.error(
                "web console assets not found; the console answers 503",
                metadata: ["console.bundle": "\(Self.bundleName).resources"])
            files = [:]
            return
        }
        var files: [String: Asset] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() {
            guard let contentType = Self.contentType(ofFileNamed: name),
                let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
            else { continue }
            files[name] = Asset(
                body: ByteBuffer(bytes: data), contentType: contentType, etag: Self.entityTag(of: data))
        }
        self.files = files
    }

    /// Assets given directly (tests).
    init(files: [String: Asset]) {
        self.files = files
    }

    /// The `console` folder inside the resource bundle, wherever SwiftPM put it for this process.
    static func locateFolder() -> URL? {
        var bases = [Bundle.main.bundleURL, Bundle.main.resourceURL].compactMap { $0 }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            bases.append(executable.deletingLastPathComponent())
        }
        let procExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        bases.append(procExecutable.deletingLastPathComponent())
        let layouts = ["\(bundleName).resources", "\(bundleName).bundle/Contents/Resources", "\(bundleName).bundle"]
        for base in bases {
            for layout in layouts {
                let folder = base.appendingPathComponent(layout).appendingPathComponent("console")
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path) {
                    return folder
                }
            }
        }
        return nil
    }

    /// The content type served for a file name; nil for files the console does not serve.
    static func contentType(ofFileNamed name: String) -> String? {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json"
        default: nil
        }
    }

    /// A strong entity tag: the 64-bit FNV-1a hash of the bytes, in hex and quoted. It only has to change when
    /// the file does.
    static func entityTag(of data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}
