import ArgumentParser

/// `goldenpath bench`: the measured claims of the project.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: the standard journal workload, end-to-end load over real WebSockets, a login flood, verify.",
        subcommands: [BenchJournalCommand.self, BenchLoadCommand.self, BenchLoginCommand.self, BenchVerifyCommand.self])
}
