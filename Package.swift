// swift-tools-version:6.1
// The architecture, bottom up: Journal (with its SQLite backend; JournalPostgres is the PostgreSQL one) ← AgentRuntime ← StandardPipeline (public API only) and Gateway ←
// goldenpath (CLI). GoldenPathTesting is a library product for test authors, built on Gateway. GoldenPathClient (the
// WebSocket frame vocabulary and client) depends on none of them and sits below Gateway, GoldenPathTesting and the CLI.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
// The journal's targets import their dependencies internally unless a file says otherwise, so that a storage type
// (GRDB's, postgres-nio's) leaking into public API shows in the imports (issue 15).
let journalSwiftSettings = swiftSettings + [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "GoldenPath",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "goldenpath", targets: ["goldenpath"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "JournalPostgres", targets: ["JournalPostgres"]),
        .library(name: "AgentRuntime", targets: ["AgentRuntime"]),
        .library(name: "StandardPipeline", targets: ["StandardPipeline"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "GoldenPathTesting", targets: ["GoldenPathTesting"]),
        .library(name: "GoldenPathClient", targets: ["GoldenPathClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "Journal",
            dependencies: [
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: journalSwiftSettings
        ),
        .target(
            name: "JournalPostgres",
            dependencies: [
                "Journal",
                "GoldenPathJSON",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: journalSwiftSettings
        ),
        .target(
            name: "GoldenPathJSON",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AgentRuntime",
            dependencies: [
                "Journal",
                "GoldenPathJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StandardPipeline",
            dependencies: ["AgentRuntime"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GoldenPathClient",
            dependencies: [
                "GoldenPathJSON",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "AgentRuntime",
                "Journal",
                "GoldenPathClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            resources: [.copy("Resources/console")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GoldenPathTesting",
            dependencies: [
                "Gateway",
                "GoldenPathClient",
                "AgentRuntime",
                "StandardPipeline",
                "Journal",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "JournalBenchmarks",
            dependencies: [
                "JournalPostgres",
                "Journal",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "goldenpath",
            dependencies: [
                "Journal",
                "AgentRuntime",
                "StandardPipeline",
                "Gateway",
                "GoldenPathClient",
                "JournalBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tests' child processes (swift-subprocess: Foundation's Process.run can crash a test process that holds
        // many descriptors on Linux; see ChildProcess.swift). Not a product.
        .target(
            name: "ChildProcessSupport",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")],
            path: "Tests/ChildProcessSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JournalTests",
            dependencies: [
                "Journal", "JournalPostgres", "ChildProcessSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AgentRuntimeTests",
            dependencies: [
                "AgentRuntime", "StandardPipeline", "Journal", "GoldenPathTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GoldenPathIntegrationTests",
            dependencies: [
                "GoldenPathTesting", "GoldenPathClient", "Gateway", "AgentRuntime", "StandardPipeline", "Journal",
                "JournalPostgres", "ChildProcessSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "GoldenPathTesting", "Gateway", "AgentRuntime", "Journal", "ChildProcessSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
