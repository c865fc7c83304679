/// The lexical pieces of `XMLReader`: names, character data, references, CDATA
/// sections, comments and processing instructions.
extension XMLReader {
    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        return literal.withUTF8Buffer { literal in
            for i in 0..<count where bytes[position + i] != literal[i] { return false }
            return true
        }
    }

    func failure(_ reason: String) -> XMLError {
        XMLError(offset: position, reason: reason)
    }

    /// Skips spaces, tabs and line ends; returns whether there were any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = position
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
        return position > start
    }

    /// An element or attribute name: a letter, `_`, `:` or non-ASCII byte, then
    /// those, digits, `-` and `.`; valid UTF-8.
    mutating func name() throws(XMLError) -> String {
        let start = position
        while let byte = peek(), Self.isNameByte(byte, first: position == start) {
            position += 1
        }
        guard position > start else { throw failure("expected a name") }
        guard let name = String(validating: bytes[start..<position], as: UTF8.self) else {
            throw XMLError(offset: start, reason: "invalid UTF-8 in a name")
        }
        return name
    }

    static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"),
             UInt8(ascii: ":"), 0x80...0xFF:
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return !first
        default:
            return false
        }
    }

    /// Character data up to the next `<`, references decoded, appended to `text`.
    mutating func characterData(into text: inout [UInt8]) throws(XMLError) {
        while let byte = peek(), byte != UInt8(ascii: "<") {
            if byte == UInt8(ascii: "&") {
                try reference(into: &text)
            } else {
                if byte == UInt8(ascii: "]"), starts(with: "]]>") { throw failure("]]> in character data") }
                try checkCharacter(byte)
                text.append(byte)
                position += 1
            }
        }
    }

    /// Refuses the control characters XML does not allow (all below 0x20 but tab,
    /// line feed and carriage return).
    func checkCharacter(_ byte: UInt8) throws(XMLError) {
        if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            throw failure("control character 0x\(String(byte, radix: 16)) in content")
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xH;` at `position`: appends
    /// the UTF-8 of the character meant. Anything else is an error.
    mutating func reference(into text: inout [UInt8]) throws(XMLError) {
        let start = position
        position += 1
        var body: [UInt8] = []
        while let byte = peek(), byte != UInt8(ascii: ";") {
            guard body.count < 10 else { throw XMLError(offset: start, reason: "unterminated reference") }
            body.append(byte)
            position += 1
        }
        guard peek() == UInt8(ascii: ";") else { throw XMLError(offset: start, reason: "unterminated reference") }
        position += 1
        let scalar: Unicode.Scalar
        switch body {
        case Array("lt".utf8): scalar = "<"
        case Array("gt".utf8): scalar = ">"
        case Array("amp".utf8): scalar = "&"
        case Array("quot".utf8): scalar = "\""
        case Array("apos".utf8): scalar = "'"
        default:
            guard body.first == UInt8(ascii: "#"), let value = Self.characterReference(body.dropFirst()),
                  let character = Unicode.Scalar(value), Self.isXMLCharacter(value)
            else { throw XMLError(offset: start, reason: "unknown or invalid reference") }
            scalar = character
        }
        UTF8.encode(scalar) { text.append($0) }
    }

    /// The code point of `N` or `xH` (at most 8 digits, so no overflow).
    static func characterReference(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var digits = digits
        var radix: UInt32 = 10
        if digits.first == UInt8(ascii: "x") {
            radix = 16
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        var value: UInt32 = 0
        for digit in digits {
            let nibble: UInt32
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where radix == 16: nibble = UInt32(digit - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where radix == 16: nibble = UInt32(digit - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * radix + nibble
        }
        return value
    }

    /// XML's `Char` production: tab, line feed, carriage return and the code points
    /// from U+0020 up, less surrogates, U+FFFE and U+FFFF.
    static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// `<![CDATA[...]]>`: the text inside, appended as it is.
    mutating func cdata(into text: inout [UInt8]) throws(XMLError) {
        let start = position
        position += 9
        while position < bytes.count {
            if starts(with: "]]>") {
                position += 3
                return
            }
            try checkCharacter(bytes[position])
            text.append(bytes[position])
            position += 1
        }
        throw XMLError(offset: start, reason: "CDATA section is not closed")
    }

    /// `<!-- ... -->`; `--` may not occur inside.
    mutating func skipComment() throws(XMLError) {
        let start = position
        position += 4
        while position < bytes.count {
            if starts(with: "--") {
                guard starts(with: "-->") else { throw failure("-- inside a comment") }
                position += 3
                return
            }
            position += 1
        }
        throw XMLError(offset: start, reason: "comment is not closed")
    }

    /// `<?target ... ?>` (the XML declaration is one).
    mutating func skipProcessingInstruction() throws(XMLError) {
        let start = position
        position += 2
        _ = try name()
        while position < bytes.count {
            if starts(with: "?>") {
                position += 2
                return
            }
            position += 1
        }
        throw XMLError(offset: start, reason: "processing instruction is not closed")
    }
}
