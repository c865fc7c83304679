/// A strict reader of the TOML subset that scribe-node's configuration needs,
/// reporting every error with its file, line and column.
///
/// Supported: comments; `[table]` and `[[array.of.tables]]` headers; bare, quoted
/// and dotted keys; basic strings with all TOML escapes (`\b \t \n \f \r \" \\
/// \uXXXX \UXXXXXXXX`); literal strings; integers (decimal with `_` separators,
/// `0x`, `0o`, `0b`); floats (including `inf` and `nan`); booleans; arrays
/// (spanning lines, with comments and a trailing comma); single-line inline tables.
/// Rejected with a clear message: multi-line strings, dates and times. Defining a
/// key or a table twice is an error, as TOML requires.
///
/// Cost: one pass over the bytes; values are copied into `TOMLTable`s, which are
/// re-walked from the root for each key (documents are small).
struct TOMLParser {
    private let bytes: [UInt8]
    private let fileName: String
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var root = TOMLTable(definition: .header)
    private var currentPath: [String] = []

    private init(bytes: [UInt8], fileName: String) {
        self.bytes = bytes
        self.fileName = fileName
    }

    /// Parses a whole document. `fileName` only labels error messages.
    static func parse(_ bytes: [UInt8], fileName: String) throws -> TOMLTable {
        var parser = TOMLParser(bytes: bytes, fileName: fileName)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ConfigurationError(key: nil, message: "\(fileName): the file is not valid UTF-8")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.index = 3
            parser.lineStart = 3
        }
        try parser.parseDocument()
        return parser.root
    }

    // MARK: - Document structure

    private mutating func parseDocument() throws {
        while true {
            skipWhitespace()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            case UInt8(ascii: "["):
                try parseHeader()
                try expectEndOfLine()
            default:
                try parseKeyValue()
                try expectEndOfLine()
            }
        }
    }

    private mutating func parseHeader() throws {
        let start = position
        index += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { index += 1 }
        let path = try parseKey()
        try expect("]", "to close the table header")
        if isArray { try expect("]", "to close the array-of-tables header ([[…]])") }
        let name = path.joined(separator: ".")
        var document = takeRoot()
        defer { root = document }
        try withTable(&document, path: path.dropLast()[...], creating: .implicit, dotted: false, name: name, at: start) {
            parent in
            guard let last = path.last else { return }
            let existing = parent[last]
            switch (isArray, existing?.value) {
            case (false, nil):
                parent[last] = TOMLNode(value: .table(TOMLTable(definition: .header)), position: start)
            case (false, .table(var table)?) where table.definition == .implicit:
                table.definition = .header
                parent[last] = TOMLNode(value: .table(table), position: start)
            case (true, nil):
                let element = TOMLNode(value: .table(TOMLTable(definition: .header)), position: start)
                parent[last] = TOMLNode(value: .tableArray([element]), position: start)
            case (true, .tableArray(var elements)?):
                elements.append(TOMLNode(value: .table(TOMLTable(definition: .header)), position: start))
                parent[last] = TOMLNode(value: .tableArray(elements), position: existing?.position ?? start)
            default:
                let line = existing?.position.line ?? start.line
                throw syntaxError(at: start, "\(isArray ? "[[\(name)]]" : "[\(name)]") is already defined at line \(line)")
            }
        }
        currentPath = path
    }

    private mutating func parseKeyValue() throws {
        let start = position
        let key = try parseKey()
        try expect("=", "after the key \"\(key.joined(separator: "."))\"")
        skipWhitespace()
        let value = try parseValue()
        let fullName = (currentPath + key).joined(separator: ".")
        var document = takeRoot()
        defer { root = document }
        try withTable(&document, path: currentPath[...], creating: .implicit, dotted: false, name: fullName, at: start) {
            table in
            try insert(value, key: key, into: &table, fullName: fullName, at: start)
        }
    }

    /// Moves the document out of `self` so it can be modified in place while
    /// `self`'s other members are read (the caller puts it back).
    private mutating func takeRoot() -> TOMLTable {
        let document = root
        root = TOMLTable(definition: .header)
        return document
    }

    /// Stores `value` under the dotted `key` of `table`, creating dotted-key tables on the way.
    private func insert(
        _ value: TOMLValue, key: [String], into table: inout TOMLTable, fullName: String, at start: TOMLPosition
    ) throws {
        try withTable(&table, path: key.dropLast()[...], creating: .dottedKey, dotted: true, name: fullName, at: start) {
            parent in
            guard let last = key.last else { return }
            if let existing = parent[last] {
                throw syntaxError(at: start, "key \"\(fullName)\" is already defined at line \(existing.position.line)")
            }
            parent[last] = TOMLNode(value: value, position: start)
        }
    }

    /// Runs `body` on the table reached by following `path` from `table`: a missing
    /// table is created with `creating`; an array of tables leads to its last element.
    /// With `dotted`, only tables themselves made by dotted keys may be extended.
    private func withTable(
        _ table: inout TOMLTable, path: ArraySlice<String>, creating: TOMLTable.Definition, dotted: Bool,
        name: String, at start: TOMLPosition, body: (inout TOMLTable) throws -> Void
    ) throws {
        guard let first = path.first else {
            try body(&table)
            return
        }
        let rest = path.dropFirst()
        guard let existing = table[first] else {
            var child = TOMLTable(definition: creating)
            try withTable(&child, path: rest, creating: creating, dotted: dotted, name: name, at: start, body: body)
            table[first] = TOMLNode(value: .table(child), position: start)
            return
        }
        let conflict = syntaxError(
            at: start, "\"\(name)\" conflicts with \"\(first)\" defined at line \(existing.position.line)")
        switch existing.value {
        case .table(var child):
            guard child.definition != .inline, !dotted || child.definition == .dottedKey else { throw conflict }
            try withTable(&child, path: rest, creating: creating, dotted: dotted, name: name, at: start, body: body)
            table[first] = TOMLNode(value: .table(child), position: existing.position)
        case .tableArray(var elements):
            guard !dotted, let lastNode = elements.last, case .table(var child) = lastNode.value else { throw conflict }
            try withTable(&child, path: rest, creating: creating, dotted: dotted, name: name, at: start, body: body)
            elements[elements.count - 1] = TOMLNode(value: .table(child), position: lastNode.position)
            table[first] = TOMLNode(value: .tableArray(elements), position: existing.position)
        default:
            throw conflict
        }
    }

    // MARK: - Keys

    /// A dotted key: simple keys separated by `.`, with optional blanks around the dots.
    private mutating func parseKey() throws -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            parts.append(try parseSimpleKey())
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    private mutating func parseSimpleKey() throws -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            return try parseBasicString()
        case UInt8(ascii: "'"):
            return try parseLiteralString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
            guard index > start else { throw syntaxError(at: position, "expected a key, found \(describeNext())") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    // MARK: - Values

    private mutating func parseValue() throws -> TOMLValue {
        switch peek() {
        case UInt8(ascii: "\""):
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            return try parseInlineTable()
        default:
            return try parseScalarToken()
        }
    }

    /// Booleans and numbers: a run of value characters, then classified.
    private mutating func parseScalarToken() throws -> TOMLValue {
        let start = position
        let startIndex = index
        while let byte = peek(), Self.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":")
        {
            index += 1
        }
        let token = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        if token.isEmpty { throw syntaxError(at: start, "expected a value, found \(describeNext())") }
        if token == "true" { return .boolean(true) }
        if token == "false" { return .boolean(false) }
        if let integer = TOMLNumberSyntax.integer(token[...]) { return .integer(integer) }
        if let float = TOMLNumberSyntax.float(token[...]) { return .float(float) }
        if token.contains(":") || Self.looksLikeDate(token) {
            throw syntaxError(at: start, "dates and times are not supported in scribe-node configuration")
        }
        throw syntaxError(
            at: start, "invalid value \(token) (strings need quotes; numbers use TOML syntax such as 8080 or 1_000)")
    }

    /// `1979-05-27…`: four digits and a dash start every TOML date.
    private static func looksLikeDate(_ token: String) -> Bool {
        let characters = Array(token.prefix(5))
        return characters.count == 5 && characters[0..<4].allSatisfy(\.isASCII) && characters[0..<4].allSatisfy(\.isNumber)
            && characters[4] == "-"
    }

    private mutating func parseArray() throws -> TOMLValue {
        index += 1
        var elements: [TOMLNode] = []
        while true {
            try skipBlankLinesAndComments()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            let start = position
            elements.append(TOMLNode(value: try parseValue(), position: start))
            try skipBlankLinesAndComments()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default:
                throw syntaxError(at: position, "expected ',' or ']' in the array, found \(describeNext())")
            }
        }
    }

    private mutating func parseInlineTable() throws -> TOMLValue {
        let open = position
        index += 1
        var table = TOMLTable(definition: .inline)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .table(table)
        }
        while true {
            let start = position
            let key = try parseKey()
            try expect("=", "after the key \"\(key.joined(separator: "."))\"")
            skipWhitespace()
            let value = try parseValue()
            try insert(value, key: key, into: &table, fullName: key.joined(separator: "."), at: start)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .table(table)
            default:
                throw syntaxError(
                    at: position,
                    "expected ',' or '}' in the inline table opened at \(open) (inline tables stay on one line), "
                        + "found \(describeNext())")
            }
        }
    }

    private mutating func parseBasicString() throws -> String {
        let start = position
        if bytes[index...].starts(with: Array("\"\"\"".utf8)) {
            throw syntaxError(at: start, "multi-line strings are not supported in scribe-node configuration")
        }
        index += 1
        var result: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                throw syntaxError(at: start, "unterminated string")
            }
            try checkNotControl(byte)
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &result)
            default:
                result.append(byte)
            }
        }
    }

    private mutating func parseEscape(into result: inout [UInt8]) throws {
        let escapeStart = TOMLPosition(line: line, column: index - lineStart)
        guard let byte = peek() else { throw syntaxError(at: escapeStart, "unterminated string") }
        index += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "f"): 0x0C,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C,
        ]
        if let replacement = simple[byte] {
            result.append(replacement)
            return
        }
        let digitCount = byte == UInt8(ascii: "u") ? 4 : byte == UInt8(ascii: "U") ? 8 : 0
        guard digitCount > 0 else {
            throw syntaxError(at: escapeStart, "invalid escape \\\(Character(Unicode.Scalar(byte)))")
        }
        guard index + digitCount <= bytes.count,
            let value = UInt32(String(decoding: bytes[index..<index + digitCount], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(value)
        else {
            throw syntaxError(at: escapeStart, "invalid Unicode escape (needs \(digitCount) hex digits of a scalar value)")
        }
        index += digitCount
        result.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func parseLiteralString() throws -> String {
        let start = position
        if bytes[index...].starts(with: Array("'''".utf8)) {
            throw syntaxError(at: start, "multi-line strings are not supported in scribe-node configuration")
        }
        index += 1
        let contentStart = index
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                throw syntaxError(at: start, "unterminated string")
            }
            if byte == UInt8(ascii: "'") {
                index += 1
                return String(decoding: bytes[contentStart..<index - 1], as: UTF8.self)
            }
            try checkNotControl(byte)
            index += 1
        }
    }

    // MARK: - Blanks, comments, line ends

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    private mutating func skipComment() throws {
        index += 1
        while let byte = peek(), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            try checkNotControl(byte)
            index += 1
        }
    }

    private mutating func skipBlankLinesAndComments() throws {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
            default:
                return
            }
        }
    }

    private mutating func consumeNewline() throws {
        if peek() == UInt8(ascii: "\r") {
            index += 1
            guard peek() == UInt8(ascii: "\n") else { throw syntaxError(at: position, "a carriage return must be followed by a line feed") }
        }
        index += 1
        line += 1
        lineStart = index
    }

    /// After a header or key/value pair only blanks and a comment may follow on the line.
    private mutating func expectEndOfLine() throws {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let byte = peek() else { return }
        guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
            throw syntaxError(at: position, "expected the end of the line, found \(describeNext())")
        }
        try consumeNewline()
    }

    private mutating func expect(_ character: Character, _ context: String) throws {
        skipWhitespace()
        guard let ascii = character.asciiValue, peek() == ascii else {
            throw syntaxError(at: position, "expected '\(character)' \(context), found \(describeNext())")
        }
        index += 1
    }

    private func checkNotControl(_ byte: UInt8) throws {
        if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
            throw syntaxError(at: position, "control character 0x\(String(byte, radix: 16)) is not allowed here")
        }
    }

    // MARK: - Cursor

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private var position: TOMLPosition {
        TOMLPosition(line: line, column: index - lineStart + 1)
    }

    private func describeNext() -> String {
        guard let byte = peek() else { return "the end of the file" }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return "the end of the line" }
        let scalarEnd = bytes[index...].prefix(4)
        let text = String(decoding: scalarEnd, as: UTF8.self).prefix(1)
        return "'\(text)'"
    }

    private func syntaxError(at position: TOMLPosition, _ reason: String) -> ConfigurationError {
        .syntax(file: fileName, at: position, reason)
    }
}
