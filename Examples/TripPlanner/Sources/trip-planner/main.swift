// trip-planner: serves the trip planner pipeline — sign up, open /ws, send a user_message, watch the concierge,
// the booker and the summarizer work — plus the team's own route GET /api/trips/latest.
//
//   swift run trip-planner --port 8080 [--host 127.0.0.1] [--db trip-planner.sqlite]
//
// The token signing secret comes from TRIP_PLANNER_JWT_SECRET (at least 32 bytes); without it a random one is
// made for this process, so tokens do not outlive it.

import Foundation
import Gateway
import Logging
import UnixSignals
import TripPlanner

let logger = Logger(label: "trip-planner")

let options: ServeOptions
do {
    options = try ServeOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("trip-planner: \(error)\n\n\(ServeOptions.usage)\n".utf8))
    exit(64)
}
if options.help {
    FileHandle.standardOutput.write(Data("\(ServeOptions.usage)\n".utf8))
    exit(0)
}

var configuration = GatewayConfiguration(jwtSecret: options.jwtSecret ?? ServeOptions.randomSecret())
configuration.host = options.host
configuration.port = options.port
configuration.logger = logger
if options.jwtSecret == nil {
    logger.notice("TRIP_PLANNER_JWT_SECRET is not set: signing tokens with a secret made for this process")
}

do {
    let server = try await TripPlanner.makeServer(
        configuration: configuration, journalPath: options.journalPath,
        onServerRunning: { port in
            // The one line on stdout: where to connect (logs go to the logger).
            FileHandle.standardOutput.write(Data("listening on http://\(options.host):\(port)\n".utf8))
        })
    logger.info("serving the trip planner", metadata: ["journal": "\(options.journalPath)"])
    try await server.run(gracefulShutdownSignals: [.sigterm, .sigint])
    try server.close()
    logger.info("stopped")
} catch {
    logger.critical("the server stopped", metadata: ["error": "\(error)"])
    exit(2)
}
