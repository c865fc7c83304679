import Testing

@testable import ScribeServer

@Suite struct ConfigTestsTOML {
    @Test func readsScalarsOfEveryType() throws {
        let table = try parseTOML(
            """
            # comment
            basic = "tab\\there \\"q\\" \\\\ \\u00e9 \\U0001F600" # trailing comment
            literal = 'C:\\path\\no escapes'
            decimal = 1_000_000
            negative = -42
            hex = 0xFF
            octal = 0o17
            binary = 0b101
            fraction = 2.5
            exponent = 1e3
            infinite = inf
            yes = true
            no = false
            "quoted key" = 1
            """)
        #expect(table["basic"]?.value == .string("tab\there \"q\" \\ é 😀"))
        #expect(table["literal"]?.value == .string("C:\\path\\no escapes"))
        #expect(table["decimal"]?.value == .integer(1_000_000))
        #expect(table["negative"]?.value == .integer(-42))
        #expect(table["hex"]?.value == .integer(255))
        #expect(table["octal"]?.value == .integer(15))
        #expect(table["binary"]?.value == .integer(5))
        #expect(table["fraction"]?.value == .float(2.5))
        #expect(table["exponent"]?.value == .float(1000))
        #expect(table["infinite"]?.value == .float(.infinity))
        #expect(table["yes"]?.value == .boolean(true))
        #expect(table["no"]?.value == .boolean(false))
        #expect(table["quoted key"]?.value == .integer(1))
        #expect(table["decimal"]?.position == TOMLPosition(line: 4, column: 1))
    }

    @Test func readsTablesDottedKeysArraysAndArraysOfTables() throws {
        let table = try parseTOML(
            "[security]\r\ntls.enabled = true\ntls . cert_path = \"c\"\n[security.rate_limit]\nburst = 3\n"
                + "[[security.api_keys]]\nname = \"a\"\n[[security.api_keys]]\nname = \"b\"\n"
                + "[x]\nlist = [\n  1, # one\n  2,\n]\ninline = { a = 1, b.c = \"d\" }\n")
        guard case let .table(security)? = table["security"]?.value,
            case let .table(tls)? = security["tls"]?.value,
            case let .table(rateLimit)? = security["rate_limit"]?.value,
            case let .tableArray(keys)? = security["api_keys"]?.value,
            case let .table(x)? = table["x"]?.value,
            case let .array(list)? = x["list"]?.value,
            case let .table(inline)? = x["inline"]?.value,
            case let .table(inlineB)? = inline["b"]?.value
        else {
            Issue.record("unexpected structure \(table)")
            return
        }
        #expect(tls["enabled"]?.value == .boolean(true))
        #expect(tls["cert_path"]?.value == .string("c"))
        #expect(rateLimit["burst"]?.value == .integer(3))
        #expect(keys.count == 2)
        #expect(keys.last?.position.line == 8)
        #expect(list.map(\.value) == [.integer(1), .integer(2)])
        #expect(inline["a"]?.value == .integer(1))
        #expect(inlineB["c"]?.value == .string("d"))
    }

    @Test func rejectsMalformedNumbers() {
        for bad in ["01", "1__0", "_1", "1_", "0x", "+0x1", "1.", ".5", "1e", "99999999999999999999"] {
            #expect(tomlError("v = \(bad)")?.contains("test.toml:1:5: invalid value") == true, "\(bad)")
        }
    }

    @Test func reportsSyntaxErrorsWithLineAndColumn() {
        let cases: [(String, String)] = [
            ("a = 1\nb 2", "test.toml:2:3: expected '=' after the key \"b\""),
            ("a = \"open", "test.toml:1:5: unterminated string"),
            ("a = 1\na = 2", "test.toml:2:1: key \"a\" is already defined at line 1"),
            ("[t]\n[t]", "test.toml:2:1: [t] is already defined at line 1"),
            ("[t]\nx.y = 1\n[t.x]", "test.toml:3:1: [t.x] is already defined at line 2"),
            ("a = 1 2", "test.toml:1:7: expected the end of the line"),
            ("a = \"\"\"multi\"\"\"", "test.toml:1:5: multi-line strings are not supported"),
            ("a = '''multi'''", "test.toml:1:5: multi-line strings are not supported"),
            ("a = 1979-05-27", "test.toml:1:5: dates and times are not supported"),
            ("a = 07:32:00", "test.toml:1:5: dates and times are not supported"),
            ("a = \"\\q\"", "test.toml:1:6: invalid escape \\q"),
            ("a = \"\\uD800\"", "test.toml:1:6: invalid Unicode escape"),
            ("a = [1, 2", "test.toml:1:10: expected ',' or ']' in the array, found the end of the file"),
            ("a = { b = 1,\n c = 2 }", "test.toml:1:13: expected a key, found the end of the line"),
            ("a = { b = 1 }\na.c = 2", "test.toml:2:1: \"a.c\" conflicts with \"a\" defined at line 1"),
            ("a = 1\n[a]", "test.toml:2:1: [a] is already defined at line 1"),
            ("a = [1]\n[[a]]", "test.toml:2:1: [[a]] is already defined at line 1"),
            ("= 1", "test.toml:1:1: expected a key, found '='"),
            ("a = bare", "test.toml:1:5: invalid value bare"),
            ("a = 1\r", "test.toml:1:7: a carriage return must be followed by a line feed"),
            ("a = \"x\u{1}\"", "test.toml:1:7: control character 0x1"),
        ]
        for (text, expected) in cases {
            let message = tomlError(text)
            #expect(message?.contains(expected) == true, "\(text.debugDescription): \(message ?? "no error")")
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: ConfigurationError.self) {
            try TOMLParser.parse([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22], fileName: "bad.toml")
        }
    }

    @Test func acceptsByteOrderMarkAndEmptyDocument() throws {
        #expect(try TOMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a = 1".utf8), fileName: "f")["a"]?.value == .integer(1))
        #expect(try parseTOML("").entries.isEmpty)
        #expect(try parseTOML("\n# only a comment\n\n").entries.isEmpty)
    }
}
