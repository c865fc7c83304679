/// Percent-decoding of URI path segments (RFC 3986 §2.1), for code that must see the
/// bytes a segment names rather than its spelling.
enum PercentDecoding {
    /// The bytes `text` spells with every `%XX` decoded; nil when a `%` is not followed
    /// by two hex digits. Costs one pass and one array of at most `text.utf8.count` bytes.
    static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            output.append(high &<< 4 | low)
        }
        return output
    }

    /// The value of one hex digit of either case.
    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
