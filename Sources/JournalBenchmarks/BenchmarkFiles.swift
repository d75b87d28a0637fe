import Foundation

/// The files a benchmark run writes: one fresh database per append phase, in one directory.
package struct BenchmarkFiles: Sendable {
    /// The directory holding the databases.
    let directory: String
    /// True when the directory was created by the run (and is removed at its end).
    let ownsDirectory: Bool

    /// Uses `directory`, or creates a fresh one in the system's temporary directory.
    init(directory: String?) throws {
        let manager = FileManager.default
        if let directory {
            self.directory = directory
            ownsDirectory = false
        } else {
            self.directory =
                manager.temporaryDirectory
                .appendingPathComponent("goldenpath-bench-\(UUID().uuidString.lowercased())").path
            ownsDirectory = true
        }
        do {
            try manager.createDirectory(atPath: self.directory, withIntermediateDirectories: true)
        } catch {
            throw BenchmarkError(
                code: .invalidConfiguration, message: "cannot create the directory \(self.directory): \(error)")
        }
    }

    /// The path of a database named `name` (a fresh one: any earlier file of that name is removed).
    func freshDatabase(_ name: String) -> String {
        let path = (directory as NSString).appendingPathComponent("\(name).sqlite")
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
        return path
    }

    /// The size of the database at `path` plus its WAL, in bytes.
    package static func databaseBytes(at path: String) -> Int64 {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    /// Removes the directory when the run created it.
    func removeIfOwned() {
        guard ownsDirectory else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
