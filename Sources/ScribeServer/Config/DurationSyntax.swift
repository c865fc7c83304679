/// Durations in configuration: a non-negative decimal number and a unit, with no
/// space — `"250ms"`, `"10s"`, `"1.5s"`, `"5m"`, `"2h"`, `"7d"` (units `us`, `ms`, `s`,
/// `m`, `h`, `d`). In a TOML file the value is a string; in the environment and on
/// the command line it is the same text.
enum DurationSyntax {
    /// Units and their length in nanoseconds, longest first (the order `format` tries them).
    private static let units: [(name: String, nanoseconds: Int64)] = [
        ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000),
        ("ms", 1_000_000), ("us", 1_000),
    ]

    /// The duration `text` denotes, or nil when it is not a number and a unit, has more
    /// than nine decimals, or passes about 292 years.
    static func parse(_ text: String) -> Duration? {
        guard let unitStart = text.firstIndex(where: { $0.isLetter }) else { return nil }
        let number = text[..<unitStart]
        let unitName = text[unitStart...]
        guard let unit = units.first(where: { $0.name == unitName })?.nanoseconds else { return nil }
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let wholeValue = Int64(whole)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits) else {
                return nil
            }
            var scale: Int64 = 1
            for _ in 0..<digits.count { scale *= 10 }
            fraction = value * (unit / scale) + (value * (unit % scale)) / scale
        }
        let (product, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
        guard !overflow, product <= Int64.max - fraction else { return nil }
        return .nanoseconds(product + fraction)
    }

    /// `duration` in the largest unit that expresses it exactly (`7d`, `10s`, `2ms`),
    /// or in nanoseconds (`ns`) when none does.
    static func format(_ duration: Duration) -> String {
        let nanoseconds = nanoseconds(duration)
        if nanoseconds == 0 { return "0s" }
        for unit in units where nanoseconds % unit.nanoseconds == 0 {
            return "\(nanoseconds / unit.nanoseconds)\(unit.name)"
        }
        return "\(nanoseconds)ns"
    }

    /// Whole nanoseconds of `duration` (clamped to `Int64`).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : whole &+ attoseconds / 1_000_000_000
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
