import ArgumentParser
import Foundation
import Journal

/// `goldenpath append-loop` (hidden): appends events until killed, printing each acknowledged sequence number.
///
/// The crash-safety tests run it, kill it with SIGKILL, and check that every printed sequence survived.
struct AppendLoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append-loop",
        abstract: "Append events until killed, printing each acknowledged seq (for crash tests).",
        shouldDisplay: false)

    @OptionGroup var journal: JournalOptions

    @Option(help: "Concurrent appenders.")
    var writers = 4

    func run() async throws {
        try await reportingFailures {
            var configuration = JournalConfiguration()
            configuration.durability = journal.durability
            let opened = try EventJournal(path: try journal.filePath(for: "append-loop"), configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var index = 0
                        while true {
                            let recorded = try await opened.append(
                                NewEvent(type: "crash_probe", userID: "writer-\(writer)",
                                         payload: #"{"writer":\#(writer),"index":\#(index)}"#),
                                to: "crash-\(writer)")
                            StandardOutput.write("\(recorded.seq)\n")
                            index += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
