/// Hexadecimal, the one spelling of bytes every target shares: lowercase out, and in,
/// lowercase only where a format fixes one spelling (proofs, object keys) or either
/// case where a person typed it (`scribe-kv --hex`).
public enum Hex {
    /// The lowercase hex digits, indexed by nibble value.
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hex, two characters per byte.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count &* 2)
        for byte in bytes {
            text.append(digits[Int(byte &>> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes spelled by `text`, or nil unless `text` has an even length and consists
    /// only of `0-9` and `a-f`. Uppercase digits are rejected: the proof format fixes one
    /// spelling per byte string. The empty string decodes to no bytes.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(text, nibble: nibbleValue)
    }

    /// The bytes spelled by `text` in either case (`0-9`, `a-f`, `A-F`), or nil on an odd
    /// length or any other character: for hex a person typed.
    public static func decodeIgnoringCase(_ text: some StringProtocol) -> [UInt8]? {
        decode(text) { character in
            (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(character)
                ? character &- UInt8(ascii: "A") &+ 10 : nibbleValue(character)
        }
    }

    private static func decode(_ text: some StringProtocol, nibble nibbleValue: (UInt8) -> UInt8?) -> [UInt8]? {
        let characters = text.utf8
        guard characters.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var high: UInt8? = nil
        for character in characters {
            guard let nibble = nibbleValue(character) else { return nil }
            if let pending = high {
                bytes.append(pending &<< 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// The value of one lowercase hex digit, or nil for any other byte.
    private static func nibbleValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character &- UInt8(ascii: "a") &+ 10
        default: nil
        }
    }
}
