import ScribeBytes

/// A strict RFC 8259 JSON reader for proof files, which may come from anyone.
///
/// Beyond the RFC's grammar it rejects what the proof format has no use for or what would
/// make a document ambiguous: numbers other than non-negative integers up to `UInt64.max`,
/// duplicate keys in an object, a byte-order mark, and anything after the top-level value.
/// Strings must be valid UTF-8 (no overlong forms, no encoded surrogates) and `\u` escapes
/// must pair surrogates correctly. It never traps on input: every failure is a `JSONError`
/// with the byte offset of the offending byte. Work is linear in the input size and nesting
/// is bounded by `maxDepth`, so recursion depth is too.
public enum JSONParser {
    /// The largest `maxDepth` accepted; it keeps the recursive descent's stack use small.
    public static let depthCeiling = 256

    /// Parses `bytes` as one JSON value.
    ///
    /// - Parameters:
    ///   - maxDepth: how many arrays and objects may enclose one another (a top-level array
    ///     of scalars has depth 1). Must be in `0...depthCeiling`.
    ///   - maxBytes: the largest input accepted; longer input is rejected before parsing.
    /// - Throws: `JSONError` for any input that is not one strict JSON value.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 32, maxBytes: Int = 16 << 20) throws -> JSONValue {
        precondition((0...depthCeiling).contains(maxDepth), "maxDepth must be in 0...\(depthCeiling)")
        precondition(maxBytes >= 0, "maxBytes must not be negative")
        guard bytes.count <= maxBytes else {
            throw JSONError(offset: maxBytes, message: "input is \(bytes.count) bytes, above the limit of \(maxBytes)")
        }
        var reader = JSONByteReader(bytes: bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if let byte = reader.peek() {
            throw reader.error("unexpected \(describe(byte)) after the JSON value")
        }
        return value
    }

    /// A byte as an error message shows it: printable ASCII quoted, anything else in hex.
    static func describe(_ byte: UInt8) -> String {
        if (0x21...0x7e).contains(byte) {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x\(Hex.encode(CollectionOfOne(byte)))"
    }
}

/// The recursive-descent state of one `JSONParser.parse` call.
private struct JSONByteReader {
    let bytes: [UInt8]
    let maxDepth: Int
    /// The offset of the next byte to read.
    var position = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// The next byte, or nil at the end of the input.
    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    /// An error at `offset`, by default the current position.
    func error(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? position, message: message)
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d {
            position &+= 1
        }
    }

    /// Parses the value starting at the current position (whitespace already skipped).
    /// `depth` is the number of arrays and objects enclosing it.
    mutating func value(depth: Int) throws -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try checkDepth(depth)
            return try object(depth: depth &+ 1)
        case UInt8(ascii: "["):
            try checkDepth(depth)
            return try array(depth: depth &+ 1)
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try integer())
        case UInt8(ascii: "-"):
            throw error("negative numbers are not supported")
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            throw error("unexpected \(JSONParser.describe(byte)), expected a value")
        }
    }

    func checkDepth(_ depth: Int) throws {
        guard depth < maxDepth else { throw error("nesting is deeper than the limit of \(maxDepth)") }
    }

    /// Parses an object; the current byte is its `{`.
    mutating func object(depth: Int) throws -> JSONValue {
        position &+= 1
        skipWhitespace()
        var members: [(key: String, value: JSONValue)] = []
        if peek() == UInt8(ascii: "}") {
            position &+= 1
            return .object(members)
        }
        var keys = Set<String>()
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw unexpected(expecting: "a string key") }
            let keyOffset = position
            let key = try string()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(key)\"", at: keyOffset) }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':'") }
            position &+= 1
            skipWhitespace()
            members.append((key: key, value: try value(depth: depth)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position &+= 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position &+= 1
                return .object(members)
            default:
                throw unexpected(expecting: "',' or '}'")
            }
        }
    }

    /// Parses an array; the current byte is its `[`.
    mutating func array(depth: Int) throws -> JSONValue {
        position &+= 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if peek() == UInt8(ascii: "]") {
            position &+= 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position &+= 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                position &+= 1
                return .array(elements)
            default:
                throw unexpected(expecting: "',' or ']'")
            }
        }
    }

    /// The error for a byte (or the end of input) where `expectation` was required.
    func unexpected(expecting expectation: String) -> JSONError {
        guard let byte = peek() else { return error("unexpected end of input, expected \(expectation)") }
        return error("unexpected \(JSONParser.describe(byte)), expected \(expectation)")
    }

    /// Parses one of the literals `true`, `false`, `null`.
    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            bytes.count &- position >= count && bytes[position..<(position &+ count)].elementsEqual(expected)
        }
        guard matches else { throw error("invalid literal, expected \(word)") }
        position &+= count
    }

    /// Parses a non-negative integer without sign, fraction or exponent.
    mutating func integer() throws -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var overflow = false
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let (times10, overflowMultiply) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            overflow = overflow || overflowMultiply || overflowAdd
            result = sum
            position &+= 1
        }
        if bytes[start] == UInt8(ascii: "0") && position &- start > 1 {
            throw error("leading zeros are not allowed", at: start)
        }
        if overflow {
            throw error("integer is above the largest supported value \(UInt64.max)", at: start)
        }
        switch peek() {
        case UInt8(ascii: "."):
            throw error("fractions are not supported, only non-negative integers")
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            throw error("exponents are not supported, only non-negative integers")
        default:
            return result
        }
    }

    /// Parses a string; the current byte is its opening quote.
    mutating func string() throws -> String {
        position &+= 1
        var text: [UInt8] = []
        var runStart = position
        while true {
            guard let byte = peek() else { throw error("unexpected end of input inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                text.append(contentsOf: bytes[runStart..<position])
                position &+= 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                text.append(contentsOf: bytes[runStart..<position])
                try escape(into: &text)
                runStart = position
            case 0x00..<0x20:
                throw error("control character \(JSONParser.describe(byte)) must be escaped in a string")
            case 0x20..<0x80:
                position &+= 1
            default:
                try skipUTF8Sequence(lead: byte)
            }
        }
    }

    /// Checks the multi-byte UTF-8 sequence starting at the current position (Unicode
    /// Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF) and steps over it.
    mutating func skipUTF8Sequence(lead: UInt8) throws {
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xc2...0xdf: (length, secondRange) = (2, 0x80...0xbf)
        case 0xe0: (length, secondRange) = (3, 0xa0...0xbf)
        case 0xe1...0xec, 0xee...0xef: (length, secondRange) = (3, 0x80...0xbf)
        case 0xed: (length, secondRange) = (3, 0x80...0x9f)
        case 0xf0: (length, secondRange) = (4, 0x90...0xbf)
        case 0xf1...0xf3: (length, secondRange) = (4, 0x80...0xbf)
        case 0xf4: (length, secondRange) = (4, 0x80...0x8f)
        default: throw error("invalid UTF-8 lead \(JSONParser.describe(lead))")
        }
        guard bytes.count &- position >= length else { throw error("truncated UTF-8 sequence") }
        guard secondRange.contains(bytes[position &+ 1]) else { throw error("invalid UTF-8 sequence") }
        for index in 2..<length where !(0x80...0xbf).contains(bytes[position &+ index]) {
            throw error("invalid UTF-8 sequence")
        }
        position &+= length
    }

    /// Decodes the escape sequence at the current position (its backslash) into `text`.
    mutating func escape(into text: inout [UInt8]) throws {
        let start = position
        guard position &+ 1 < bytes.count else { throw error("unexpected end of input inside a string") }
        let letter = bytes[position &+ 1]
        position &+= 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0c)
        case UInt8(ascii: "n"): text.append(0x0a)
        case UInt8(ascii: "r"): text.append(0x0d)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hexQuad(escapeStart: start)
            var scalarValue = UInt32(unit)
            if (0xdc00...0xdfff).contains(unit) {
                throw error("unpaired low surrogate \\u\(Hex.encode([UInt8(unit >> 8), UInt8(unit & 0xff)]))", at: start)
            }
            if (0xd800...0xdbff).contains(unit) {
                let lowStart = position
                guard bytes.count &- position >= 6, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position &+ 1] == UInt8(ascii: "u")
                else { throw error("high surrogate is not followed by a \\u low surrogate", at: start) }
                position &+= 2
                let low = try hexQuad(escapeStart: lowStart)
                guard (0xdc00...0xdfff).contains(low) else {
                    throw error("high surrogate is not followed by a low surrogate", at: start)
                }
                scalarValue = 0x10000 &+ ((UInt32(unit) &- 0xd800) &<< 10) &+ (UInt32(low) &- 0xdc00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw error("invalid \\u escape", at: start)
            }
            UTF8.encode(scalar) { text.append($0) }
        default:
            throw error("invalid escape \\\(JSONParser.describe(letter))", at: start)
        }
    }

    /// Reads the four hex digits of a `\u` escape (either case, as RFC 8259 allows).
    mutating func hexQuad(escapeStart: Int) throws -> UInt16 {
        guard bytes.count &- position >= 4 else { throw error("truncated \\u escape", at: escapeStart) }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw error("invalid hex digit \(JSONParser.describe(byte)) in \\u escape")
            }
            unit = unit &<< 4 | UInt16(digit)
            position &+= 1
        }
        return unit
    }
}
