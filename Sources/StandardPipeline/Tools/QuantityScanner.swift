import AgentRuntime
import Foundation

/// Finds numbers with units or currencies in text, deterministically.
enum QuantityScanner {
    private static let currencySymbols: [Character: String] = ["$": "USD", "€": "EUR", "£": "GBP"]
    private static let currencyWords: [String: String] = [
        "usd": "USD", "dollars": "USD", "dollar": "USD", "eur": "EUR", "euros": "EUR", "euro": "EUR",
        "gbp": "GBP", "pounds": "GBP",
    ]
    private static let units: Set<String> = [
        "%", "percent", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "h", "hr",
        "hrs", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years", "kb", "mb", "gb",
        "tb", "kib", "mib", "gib", "tib", "kwh", "user", "users", "request", "requests", "req/s", "rps", "qps",
        "instance", "instances", "server", "servers", "node", "nodes", "cpu", "cpus", "vcpu", "vcpus", "core",
        "cores", "gpu", "gpus", "token", "tokens", "call", "calls", "customers", "orders", "x",
    ]

    /// Every quantity in `text`, in order.
    static func quantities(in text: String) -> [Quantity] {
        let characters = Array(text)
        var found: [Quantity] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber else {
                index += 1
                continue
            }
            // The number: digits with thousands separators and one decimal point.
            let start = index
            var digits = ""
            while index < characters.count {
                let character = characters[index]
                if character.isASCII, character.isNumber {
                    digits.append(character)
                } else if character == ",", index + 1 < characters.count, characters[index + 1].isNumber {
                    // thousands separator
                } else if character == ".", index + 1 < characters.count, characters[index + 1].isNumber,
                    !digits.contains(".")
                {
                    digits.append(character)
                } else {
                    break
                }
                index += 1
            }
            guard var value = Double(digits) else { continue }
            // A currency symbol just before the number (possibly with one space).
            var currency: String?
            var textStart = start
            for back in [1, 2] where start - back >= 0 {
                if let code = currencySymbols[characters[start - back]] {
                    currency = code
                    textStart = start - back
                    break
                }
                if characters[start - back] != " " { break }
            }
            // A "k" (thousands) right after the digits, then a unit or currency (possibly after one space).
            if index < characters.count, characters[index] == "k" || characters[index] == "K",
                index + 1 == characters.count || !characters[index + 1].isLetter
            {
                value *= 1_000
                index += 1
            }
            var cursor = index
            if cursor < characters.count, characters[cursor] == " " { cursor += 1 }
            var word = ""
            while cursor < characters.count,
                characters[cursor].isLetter || characters[cursor] == "%" || characters[cursor] == "/"
            {
                word.append(characters[cursor])
                cursor += 1
                if word == "%" { break }
            }
            let lowered = word.lowercased()
            var unit: String?
            if !lowered.isEmpty, let code = currencyWords[lowered] {
                currency = currency ?? code
                index = cursor
            } else if !lowered.isEmpty, units.contains(lowered) {
                unit = lowered == "percent" ? "%" : lowered
                index = cursor
            }
            let text = String(characters[textStart..<index]).trimmingCharacters(in: .whitespaces)
            if let currency {
                found.append(Quantity(value: value, unit: currency, isCurrency: true, text: text))
            } else if let unit {
                found.append(Quantity(value: value, unit: unit, isCurrency: false, text: text))
            }
        }
        return found
    }
}
