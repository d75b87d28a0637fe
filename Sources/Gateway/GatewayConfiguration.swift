import Foundation
import Journal
import Logging
import NIOPosix

/// Everything the gateway needs to run, with defaults. One `Sendable` value; only the CLI reads the environment.
public struct GatewayConfiguration: Sendable {
    /// The limits a server enforces.
    public struct Limits: Sendable, Hashable {
        /// Open WebSocket connections per user (the next one gets `TOO_MANY_CONNECTIONS`, 1013). Default 10.
        public var connectionsPerUser = 10
        /// Accepted messages per user per minute (more get `RATE_LIMITED`). Default 30.
        public var messagesPerMinute = 30
        /// The most UTF-8 bytes of a message's `content` (more get `MESSAGE_TOO_LARGE`). Default 8,192.
        public var maxContentBytes = 8_192
        /// The largest WebSocket frame or message accepted (larger closes with 1009). Default 64 KiB.
        public var maxFrameBytes = 65_536
        /// Inbound frames allowed per connection in 10 s (more closes with 1008). Default 120.
        public var framesPer10Seconds = 120
        /// The most journal events a connection may fall behind (more closes with 1013). Default 1,000.
        public var subscriptionBufferLimit = 1_000
        /// How often the server pings a connection. Default 25 s.
        public var pingInterval: Duration = .seconds(25)
        /// How long a refused connection (bad token, too many connections, journal unavailable) waits before its
        /// `error` frame and close. It slows token guessing and reconnect storms, and lets clients finish their
        /// side of the upgrade before the first frame arrives (HummingbirdWSClient can lose a frame, and then the
        /// close, sent together with the 101 response). Default 100 ms.
        public var refusalDelay: Duration = .milliseconds(100)
        /// Failed logins for one user name from one client address within ``loginFailureWindowPerUser`` before
        /// `/auth/login` answers 429 `RATE_LIMITED`. Default 5.
        public var loginFailuresPerUserAndAddress = 5
        /// Failed logins for one user name from any address within ``loginFailureWindowPerUser``. Default 100.
        public var loginFailuresPerUser = 100
        /// The window of the per-user login limits. Default 15 minutes.
        public var loginFailureWindowPerUser: Duration = .seconds(900)
        /// Failed logins from one client address within ``loginFailureWindowPerAddress``. Default 30.
        public var loginFailuresPerAddress = 30
        /// The window of the per-address login limit. Default 1 minute.
        public var loginFailureWindowPerAddress: Duration = .seconds(60)
        /// Sign-ups from one client address per minute (more answer 429 `RATE_LIMITED`). Default 20. Tools that
        /// sign many users up from one machine (the demo, `bench load`, test servers) raise it in their own
        /// configuration.
        public var signupsPerAddressPerMinute = 20

        /// Creates the default limits.
        public init() {}
    }

    /// The address to bind. Default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// The port to bind; 0 picks a free one (reported through `onServerRunning`). Default 8080.
    public var port = 8080
    /// The HMAC secret that signs tokens. Never written to the journal.
    public var jwtSecret: String
    /// How long a token is valid. Default 24 hours.
    public var tokenLifetime: Duration = .seconds(86_400)
    /// The bcrypt cost of password hashes: 12 by default; tests use 4 (the minimum) for speed.
    public var bcryptCost: UInt8 = 12
    /// The limits.
    public var limits = Limits()
    /// The proxies whose `X-Forwarded-For` names the client address (`serve --trusted-proxy CIDR`); none by
    /// default: the client address is the TCP peer.
    public var trustedProxies: [IPAddressRange] = []
    /// Where password hashes are computed: never on the threads that serve sockets, so a login flood slows
    /// logins, not frames. Default: SwiftNIO's shared thread pool.
    public var passwordHashingPool: NIOThreadPool = .singleton
    /// The journal's durability. Default `.full`.
    public var durability: JournalConfiguration.Durability = .full
    /// The clock for timestamps, token expiry and rate limits.
    public var clock: @Sendable () -> Date = { Date() }
    /// Makes ids for users and connections.
    public var makeID: @Sendable () -> String = { UUID().uuidString.lowercased() }
    /// Where the gateway logs.
    public var logger = Logger(label: "goldenpath.gateway")
    /// How long a journal write waits for a lock another process holds before failing `busy`. Default 5 s.
    public var journalBusyTimeout: Duration = .seconds(5)
    /// A testing aid: makes the journal's storage fail as a disk would (see `StorageFaultInjector`); `/healthz`'s
    /// write probe consults it too. Nil (the default) in production.
    public var journalFaultInjector: (any StorageFaultInjector)?
    /// The filter of each connection's journal subscription, given the connected user's id: that user's events.
    /// A seam for the tests of the session's own defence (an owner filter broken at the source must still not
    /// deliver a foreign event); nothing else sets it.
    package var connectionEventFilter: @Sendable (_ userID: String) -> EventFilter = { .user($0) }

    /// Creates a configuration with the given signing secret and the defaults.
    public init(jwtSecret: String) {
        self.jwtSecret = jwtSecret
    }
}
