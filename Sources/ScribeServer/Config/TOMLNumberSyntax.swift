/// TOML's integer and float grammar, shared by the file parser and by the
/// readers of environment variables and flags so that `64_000` means the same
/// everywhere.
enum TOMLNumberSyntax {
    /// Parses a TOML integer: decimal with an optional sign and `_` between
    /// digits (no leading zeros), or `0x`, `0o`, `0b` with no sign.
    /// Returns nil for anything else, including values outside `Int64`.
    static func integer(_ text: Substring) -> Int64? {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2)
            guard let cleaned = digitsWithoutSeparators(digits, radix: radix) else { return nil }
            return Int64(cleaned, radix: radix)
        }
        var body = text
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        guard let cleaned = digitsWithoutSeparators(body, radix: 10) else { return nil }
        if cleaned.count > 1, cleaned.hasPrefix("0") { return nil }
        return Int64(sign + cleaned)
    }

    /// Parses a TOML float: a decimal integer part, then a fraction, an exponent
    /// or both (`1.5`, `2e3`, `6.02e+23`), or `inf` / `nan` with an optional sign.
    /// Returns nil for anything else.
    static func float(_ text: Substring) -> Double? {
        var body = text
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        if body == "inf" { return sign == "-" ? -Double.infinity : Double.infinity }
        if body == "nan" { return Double.nan }
        let exponentStart = body.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = body[..<(exponentStart ?? body.endIndex)]
        let pointIndex = mantissa.firstIndex(of: ".")
        let integerPart = mantissa[..<(pointIndex ?? mantissa.endIndex)]
        guard let integerDigits = digitsWithoutSeparators(integerPart, radix: 10) else { return nil }
        if integerDigits.count > 1, integerDigits.hasPrefix("0") { return nil }
        var normalized = sign + integerDigits
        if let pointIndex {
            guard let fraction = digitsWithoutSeparators(mantissa[mantissa.index(after: pointIndex)...], radix: 10)
            else { return nil }
            normalized += "." + fraction
        }
        if let exponentStart {
            var exponent = body[body.index(after: exponentStart)...]
            var exponentSign = ""
            if let first = exponent.first, first == "+" || first == "-" {
                exponentSign = String(first)
                exponent = exponent.dropFirst()
            }
            guard let exponentDigits = digitsWithoutSeparators(exponent, radix: 10) else { return nil }
            normalized += "e" + exponentSign + exponentDigits
        }
        guard pointIndex != nil || exponentStart != nil else { return nil }
        return Double(normalized)
    }

    /// The digits of `text` with `_` separators removed, or nil when `text` is
    /// empty, has a digit outside `radix`, or has a `_` not between two digits.
    private static func digitsWithoutSeparators(_ text: Substring, radix: Int) -> String? {
        var result = ""
        var previousWasDigit = false
        for character in text {
            if character == "_" {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                continue
            }
            guard character.isASCII, character.hexDigitValue.map({ $0 < radix }) == true else { return nil }
            result.append(character)
            previousWasDigit = true
        }
        return previousWasDigit ? result : nil
    }
}
