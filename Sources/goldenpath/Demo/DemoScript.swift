import Foundation

/// What the demo users say: one message per triage path, each with a canary token unique to its user.
enum DemoScript {
    /// The messages, in the order users take them (user i takes message i mod 3).
    static let messages = [
        "Our GPU inference bill is $12400 per month on 40 GPUs at 65% utilization. How can we cut it?",
        "We spend about $3000 a month on cloud storage. What should we look at first?",
        "How do I reduce the cost of our AI workloads?",
    ]

    /// The demo user names: `demo-1`, `demo-2`, …
    static func username(_ index: Int) -> String { "demo-\(index + 1)" }

    /// A fixed password per demo user, so that a second demo on the same journal logs them in.
    static func password(_ index: Int) -> String { "demo-password-\(index + 1)" }

    /// A token that must never appear in another user's events or deliveries.
    static func canary(_ index: Int) -> String {
        "CANARY-\(username(index))-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The message user `index` sends.
    static func message(_ index: Int, canary: String) -> String {
        "\(messages[index % messages.count]) (ticket \(canary))"
    }
}
