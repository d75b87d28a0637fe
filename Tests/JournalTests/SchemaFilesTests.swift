import Foundation
import Journal
import Testing

@Suite("Schema files")
struct SchemaFilesTests {
    static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schema")

    @Test("The journal applies exactly the SQL in schema/*_journal.sql (run tools/generate-schema.sh after editing)")
    func embeddedCopyMatchesFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaDirectory.path)
            .filter { $0.hasSuffix("_journal.sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == SchemaMigration.journalLayer.map(\.name))
        for (file, migration) in zip(files, SchemaMigration.journalLayer) {
            let text = try String(contentsOf: Self.schemaDirectory.appendingPathComponent(file), encoding: .utf8)
            #expect(normalized(text) == normalized(migration.sql), "\(file) differs from its embedded copy")
        }
    }

    private func normalized(_ sql: String) -> String {
        sql.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
