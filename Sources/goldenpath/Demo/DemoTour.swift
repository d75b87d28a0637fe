import AgentRuntime
import AsyncHTTPClient
import Foundation
import Gateway
import Journal

/// The demo: runs the server in-process on a free loopback port, lets each demo user send one message over a
/// real WebSocket, prints the frames as they stream, then the summary, the leak check and what to try next.
struct DemoTour {
    let users: Int
    let journalPath: String
    let durability: JournalConfiguration.Durability

    /// Runs the tour; true when every run completed, nothing leaked and the journal verifies.
    func run() async throws -> Bool {
        // The scripted model streams its answers a few words at a time, so the demo shows them as they are written.
        let llm = ScriptedLLM(streaming: ScriptedLLM.Streaming(wordsPerChunk: 6, pace: .milliseconds(25)))
        return try await withInProcessServer(journalPath: journalPath, durability: durability, llm: llm) { port, server in
            try await tour(port: port, journal: server.journal)
        }
    }

    private func tour(port: Int, journal: EventJournal) async throws -> Bool {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await converse(port: port, journal: journal, http: http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func converse(port: Int, journal: EventJournal, http: HTTPClient) async throws -> Bool {
        let client = ChatClient(baseURL: "http://127.0.0.1:\(port)", http: http)
        let printer = DemoPrinter(users: users)
        printer.header(journalPath: journalPath, durability: durability, port: port)

        var sessions: [ChatClient.Session] = []
        for index in 0..<users {
            sessions.append(
                try await client.signUpOrLogIn(
                    username: DemoScript.username(index), password: DemoScript.password(index)))
        }
        printer.users(sessions)
        let signedIn = sessions

        let canaries = (0..<users).map(DemoScript.canary)
        let outcomes = try await withThrowingTaskGroup(of: (Int, ChatClient.Outcome).self) { group in
            for index in 0..<users {
                let message = DemoScript.message(index, canary: canaries[index])
                printer.said(user: index, message: message)
                group.addTask {
                    let outcome = try await client.send(message, token: signedIn[index].token) { frame in
                        printer.frame(user: index, frame)
                    }
                    return (index, outcome)
                }
            }
            var outcomes = [ChatClient.Outcome?](repeating: nil, count: users)
            for try await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }

        let report = try await DemoReport.make(
            journal: journal, sessions: sessions, outcomes: outcomes, canaries: canaries)
        printer.summary(report, journalPath: journalPath)
        return report.succeeded
    }
}
