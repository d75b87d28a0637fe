import ArgumentParser
import Foundation

/// Runs a command body; any error becomes one clear line on stderr and exit status 2 (never a stack trace).
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        StandardOutput.writeError("goldenpath: \(describe(error))")
        throw ExitCode(2)
    }
}

/// One line for people from any error.
func describe(_ error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
}
