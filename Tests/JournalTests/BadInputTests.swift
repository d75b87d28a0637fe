import ChildProcessSupport
import Foundation
import GRDB
import Journal
import Synchronization
import Testing

@Suite("Bad input")
struct BadInputTests {
    @Test("A file that is not SQLite gives notADatabase")
    func notSQLite() throws {
        let file = try TestJournal()
        defer { file.remove() }
        try Data(String(repeating: "this is not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: file.path))
        #expect {
            _ = try file.open()
        } throws: { error in
            (error as? JournalError)?.code == .notADatabase
        }
    }

    @Test("A read-only file gives a typed error, and its events stay readable")
    func readOnlyFile() async throws {
        let file = try TestJournal()
        defer { file.remove() }
        let journal = try file.open()
        try await journal.append(event(id: "kept"), to: "s")
        try journal.close()
        // Checkpoint the WAL into the file, then make file and directory read-only.
        let queue = try DatabaseQueue(path: file.path)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: file.directory.path)
        // Root ignores permission bits: make the file and its directory immutable instead.
        let immutable = getuid() == 0 ? try await run("/usr/bin/chattr", ["+i", file.path, file.directory.path]) == 0 : false
        let opened = Result {
            let journal = try file.open()
            try journal.close()
        }
        if immutable { _ = try? await run("/usr/bin/chattr", ["-i", file.path, file.directory.path]) }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.directory.path)
        try #require(getuid() != 0 || immutable, "cannot make the file read-only on this machine")
        #expect {
            try opened.get()
        } throws: { error in
            guard let code = (error as? JournalError)?.code else { return false }
            return code == .readOnly || code == .cannotOpen
        }
    }

    @Test("A journal opened read-only refuses appends with readOnly and still reads")
    func readOnlyConfiguration() async throws {
        let file = try TestJournal()
        defer { file.remove() }
        let writable = try file.open()
        try await writable.append(event(id: "kept"), to: "s")
        let readOnly = try file.open { $0.readOnly = true }
        #expect(try await readOnly.events().map(\.eventID) == ["kept"])
        await #expect {
            try await readOnly.append(event(id: "refused"), to: "s")
        } throws: { error in
            (error as? JournalError)?.code == .readOnly
        }
        try readOnly.close()
        try writable.close()
    }

    @Test("A full disk fails the append with diskFull; acknowledged events survive and later appends work")
    func diskFull() async throws {
        try await withJournal({ $0.durability = .normal }) { journal, file in
            var acknowledged: [Int64] = []
            for index in 0..<20 { acknowledged.append(try await journal.append(event(id: "ok\(index)"), to: "s").seq) }
            let pages = try await journal.write { db in try Int.fetchOne(db, sql: "PRAGMA page_count") } ?? 0
            try await journal.write { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }
            let big = String(repeating: "x", count: 200_000)
            await #expect {
                try await journal.append(event(id: "too-big", payload: #"{"text":"\#(big)"}"#), to: "s")
            } throws: { error in
                (error as? JournalError)?.code == .diskFull
            }
            #expect(try await journal.events().map(\.seq) == acknowledged)
            try await journal.write { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            let after = try await journal.append(event(id: "after"), to: "s")
            #expect(after.seq == 21)
            #expect(try await journal.verify().failures.isEmpty)
        }
    }

    @Test("A payload that is not valid JSON is refused with invalidPayload and nothing is written")
    func invalidJSON() async throws {
        try await withJournal { journal, _ in
            try await journal.append(event(id: "ok"), to: "s")
            await #expect {
                try await journal.append([event(id: "fine"), event(id: "broken", payload: "{not json")], to: "s")
            } throws: { error in
                (error as? JournalError)?.code == .invalidPayload
            }
            #expect(try await journal.events().map(\.eventID) == ["ok"])
        }
    }

    @Test("One failing request in a group-commit batch fails alone; the others commit")
    func failureIsolatedInBatch() async throws {
        try await withJournal({ $0.durability = .normal }) { journal, _ in
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let payload = index == 17 ? "{broken" : #"{"n":\#(index)}"#
                        return (try? await journal.append(event(id: "e\(index)", payload: payload), to: "s\(index)"))
                            != nil
                    }
                }
                var results: [Bool] = []
                for await result in group { results.append(result) }
                return results
            }
            #expect(results.filter { !$0 }.count == 1)
            let head = try await journal.headSeq()
            let report = try await journal.verify()
            #expect(head == 39)
            #expect(report.failures.isEmpty)
        }
    }
}

/// Runs a program and returns its exit status.
func run(_ program: String, _ arguments: [String]) async throws -> Int32 {
    try await ChildProcess.run(URL(fileURLWithPath: program), arguments).status
}

/// Fails every commit while `failing` is set.
final class SwitchableFault: StorageFaultInjector {
    let failing = Mutex(false)
    func beforeCommit(batchSize: Int) throws {
        if failing.withLock({ $0 }) { throw JournalError(code: .ioError, message: "injected I/O error") }
    }
}

@Suite("Storage faults")
struct StorageFaultTests {
    @Test("An I/O error at commit fails the append with ioError, writes nothing, and the journal recovers")
    func injectedIOError() async throws {
        let fault = SwitchableFault()
        try await withJournal({ $0.faultInjector = fault }) { journal, _ in
            try await journal.append(event(id: "before"), to: "s")
            fault.failing.withLock { $0 = true }
            await #expect {
                try await journal.append(event(id: "during"), to: "s")
            } throws: { error in
                (error as? JournalError)?.code == .ioError
            }
            fault.failing.withLock { $0 = false }
            let after = try await journal.append(event(id: "after"), to: "s")
            #expect(after.seq == 2)
            #expect(try await journal.events().map(\.eventID) == ["before", "after"])
            #expect(try await journal.verify().passes())
        }
    }
}
