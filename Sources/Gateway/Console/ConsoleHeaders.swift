import HTTPTypes

/// The security and caching headers of every console response, and the Content-Security-Policy they carry.
///
/// The policy allows only the console's own files and connections to its own origin: no inline script or style,
/// no `eval`, no frames, no plugins, and Trusted Types required for every DOM sink that parses HTML — assigning a
/// string to `innerHTML` throws, so user and model text can only ever be inserted as text.
enum ConsoleHeaders {
    /// The Content-Security-Policy for a page requested with this `Host` header.
    ///
    /// `connect-src` names `ws://HOST` and `wss://HOST` besides `'self'`: CSP Level 3 has `'self'` match the
    /// same host's WebSocket URLs (Chromium does), older engines need them spelled out. A `Host` that is not a
    /// plain host name or address with an optional port is left out, so a request cannot write into the policy.
    static func contentSecurityPolicy(host: String?) -> String {
        var connect = "'self'"
        if let host, isPlainHost(host) { connect += " ws://\(host) wss://\(host)" }
        return [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
            "connect-src \(connect)", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
            "require-trusted-types-for 'script'", "trusted-types 'none'",
        ].joined(separator: "; ")
    }

    /// Whether `host` is `name[:port]`, `a.b.c.d[:port]` or `[v6][:port]`, and nothing else.
    static func isPlainHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 255 else { return false }
        var rest = Substring(host)
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return false
            }
            rest = rest[rest.index(after: close)...]
        } else {
            let name = rest.prefix { $0 != ":" }
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
            else { return false }
            rest = rest[name.endIndex...]
        }
        if rest.isEmpty { return true }
        guard rest.first == ":" else { return false }
        let port = rest.dropFirst()
        return (1...5).contains(port.count) && port.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Headers HTTPTypes has no name constant for.
    private static let extra = [
        ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"), ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    /// The headers of a console response: its type, tag and revalidation, the policy and the hardening headers.
    static func fields(contentType: String, etag: String, host: String?) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.eTag] = etag
        // Module URLs are not versioned: the browser may keep a copy but asks (If-None-Match) before using it.
        fields[.cacheControl] = "no-cache"
        fields[.contentSecurityPolicy] = contentSecurityPolicy(host: host)
        fields[.xContentTypeOptions] = "nosniff"
        fields[.crossOriginResourcePolicy] = "same-origin"
        for (name, value) in extra {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }
}
