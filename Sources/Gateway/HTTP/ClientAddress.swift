import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address range in CIDR notation (`10.0.0.0/8`, `::1/128`; a bare address is a /32 or /128):
/// the proxies whose `X-Forwarded-For` the gateway trusts (`serve --trusted-proxy`).
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    private let network: [UInt8]
    private let prefixLength: Int

    /// Parses `address/prefix` or a bare address; nil when it is neither.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let bytes = Self.bytes(of: first) else { return nil }
        let bits = bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : bits
        guard let prefix, (0...bits).contains(prefix) else { return nil }
        self.network = Self.masked(bytes, prefix: prefix)
        self.prefixLength = prefix
    }

    /// Whether `address` (text) lies in the range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address), bytes.count == network.count else { return false }
        return Self.masked(bytes, prefix: prefixLength) == network
    }

    /// `address/prefix`.
    public var description: String {
        let text =
            network.count == 4
            ? network.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        return "\(text)/\(prefixLength)"
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6), or nil when it is not an IP address.
    static func bytes(of address: String) -> [UInt8]? {
        let trimmed = address.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["[", "]"])
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, prefix - index * 8))
            return kept == 8 ? byte : kept == 0 ? 0 : byte & ~(UInt8.max >> UInt8(kept))
        }
    }
}

/// Who a request comes from: the TCP peer, or — when the peer is a trusted proxy — the right-most address of
/// `X-Forwarded-For` that is not a trusted proxy itself (the left part of the header is what the client wrote).
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trusted: [IPAddressRange]) -> String {
        let peer = peer ?? "unknown"
        guard !trusted.isEmpty, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        for hop in hops.reversed() where !hop.isEmpty {
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return hops.first { !$0.isEmpty } ?? peer
    }
}
