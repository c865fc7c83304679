import ScribeBytes

/// Writes a `JSONValue` as JSON text that `JSONParser` reads back to an equal value.
///
/// Object members keep their order. Strings are escaped minimally: `"`, `\` and the control
/// characters below U+0020 (`\b \f \n \r \t` by name, the rest as `\u00xx`); everything
/// else, non-ASCII included, is written as UTF-8 as is. The output has no trailing newline.
public enum JSONWriter {
    /// `value` as JSON text.
    ///
    /// - Parameter pretty: false writes the compact form, with no whitespace at all. True
    ///   puts every object member and array element on its own line, indented by two spaces
    ///   per level, with `": "` after keys; empty objects and arrays stay `{}` and `[]`.
    public static func write(_ value: JSONValue, pretty: Bool) -> String {
        var output: [UInt8] = []
        append(value, to: &output, indent: pretty ? 0 : nil)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `value`; `indent` is the current nesting level in pretty form, nil in compact.
    private static func append(_ value: JSONValue, to output: inout [UInt8], indent: Int?) {
        switch value {
        case .object(let members):
            guard !members.isEmpty else { return output.append(contentsOf: "{}".utf8) }
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(to: &output, indent: indent.map { $0 &+ 1 })
                appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                append(member.value, to: &output, indent: indent.map { $0 &+ 1 })
            }
            newline(to: &output, indent: indent)
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard !elements.isEmpty else { return output.append(contentsOf: "[]".utf8) }
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(to: &output, indent: indent.map { $0 &+ 1 })
                append(element, to: &output, indent: indent.map { $0 &+ 1 })
            }
            newline(to: &output, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .string(let text):
            appendString(text, to: &output)
        case .integer(let number):
            output.append(contentsOf: String(number).utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        }
    }

    /// In pretty form, a line break and `indent` levels of two-space indentation.
    private static func newline(to output: inout [UInt8], indent: Int?) {
        guard let indent else { return }
        output.append(0x0a)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent &* 2))
    }

    /// Appends `text` as a quoted, escaped JSON string.
    private static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0c: output.append(contentsOf: #"\f"#.utf8)
            case 0x0a: output.append(contentsOf: #"\n"#.utf8)
            case 0x0d: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(contentsOf: Hex.encode(CollectionOfOne(byte)).utf8)
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
