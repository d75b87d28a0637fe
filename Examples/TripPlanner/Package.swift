// swift-tools-version:6.1
// TripPlanner: a pipeline of its own built on GoldenPath's public API — a team's starting point.
// Library `TripPlanner` (state, tools, agents, planner, scripted model, server helper), executable
// `trip-planner` (serves it), tests `TripPlannerTests` (Swift Testing + GoldenPathTesting).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "TripPlanner",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TripPlanner", targets: ["TripPlanner"]),
        .executable(name: "trip-planner", targets: ["trip-planner"]),
    ],
    dependencies: [
        .package(name: "GoldenPath", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "TripPlanner",
            dependencies: [
                .product(name: "AgentRuntime", package: "GoldenPath"),
                .product(name: "Gateway", package: "GoldenPath"),
                .product(name: "Journal", package: "GoldenPath"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "trip-planner",
            dependencies: [
                "TripPlanner",
                .product(name: "Gateway", package: "GoldenPath"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TripPlannerTests",
            dependencies: [
                "TripPlanner",
                .product(name: "GoldenPathTesting", package: "GoldenPath"),
                .product(name: "AgentRuntime", package: "GoldenPath"),
                .product(name: "Gateway", package: "GoldenPath"),
                .product(name: "Journal", package: "GoldenPath"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
