import Testing
import ScribeVerifier
import ScribeTestSupport

/// Parses `text` as UTF-8.
private func parse(_ text: String, maxDepth: Int = 32, maxBytes: Int = 16 << 20) throws -> JSONValue {
    try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth, maxBytes: maxBytes)
}

/// The error `JSONParser` throws for `bytes`, or nil when it accepts them.
private func parseError(_ bytes: [UInt8], maxDepth: Int = 32, maxBytes: Int = 16 << 20) -> JSONError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth, maxBytes: maxBytes)
        return nil
    } catch let error as JSONError {
        return error
    } catch {
        Issue.record("unexpected error type \(error)")
        return nil
    }
}

private func parseError(_ text: String, maxDepth: Int = 32, maxBytes: Int = 16 << 20) -> JSONError? {
    parseError(Array(text.utf8), maxDepth: maxDepth, maxBytes: maxBytes)
}

// MARK: - Accepted documents

@Test func parsesEveryKindOfValueKeepingMemberOrder() throws {
    let value = try parse(#" { "z" : [ 1 , true , false , null ] , "a" : { } , "m" : "text" , "e" : [ ] } "#)
    #expect(
        value
            == .object([
                (key: "z", value: .array([.integer(1), .bool(true), .bool(false), .null])),
                (key: "a", value: .object([])),
                (key: "m", value: .string("text")),
                (key: "e", value: .array([])),
            ]))
}

@Test func parsesIntegersUpToUInt64Max() throws {
    #expect(try parse("0") == .integer(0))
    #expect(try parse("\t\r\n 42 \n") == .integer(42))
    #expect(try parse("18446744073709551615") == .integer(UInt64.max))
}

@Test func decodesEveryStringEscapeAndRawUTF8() throws {
    let escaped = #""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\ud83d\ude00\u0000""#
    #expect(try parse(escaped) == .string("\"\\/\u{8}\u{c}\n\r\tAéé😀\u{0}"))
    #expect(try parse("\"é€😀\u{7f}\"") == .string("é€😀\u{7f}"))
}

@Test func objectEqualityDependsOnMemberOrder() {
    let forward = JSONValue.object([(key: "a", value: .null), (key: "b", value: .null)])
    let backward = JSONValue.object([(key: "b", value: .null), (key: "a", value: .null)])
    #expect(forward != backward)
    #expect(forward == .object([(key: "a", value: .null), (key: "b", value: .null)]))
    #expect(JSONValue.integer(1) != .string("1"))
}

// MARK: - Rejections, each at its offset

@Test func rejectsNumbersOtherThanNonNegativeIntegers() {
    #expect(parseError("-1") == JSONError(offset: 0, message: "negative numbers are not supported"))
    #expect(parseError("1.5")?.offset == 1)
    #expect(parseError("1.5")?.message.contains("fractions") == true)
    #expect(parseError("[10e5]")?.offset == 3)
    #expect(parseError("1E5")?.message.contains("exponents") == true)
    #expect(parseError("01") == JSONError(offset: 0, message: "leading zeros are not allowed"))
    #expect(parseError("[7, 00]")?.offset == 4)
    #expect(parseError("18446744073709551616")?.offset == 0)
    #expect(parseError("[99999999999999999999999]")?.message.contains("above the largest") == true)
    #expect(parseError("+1")?.offset == 0)
}

@Test func rejectsMalformedStructureAtTheOffendingByte() {
    #expect(parseError("")?.offset == 0)
    #expect(parseError("   ")?.offset == 3)
    #expect(parseError("[1,]")?.offset == 3)
    #expect(parseError("[1 2]")?.offset == 3)
    #expect(parseError("[1")?.offset == 2)
    #expect(parseError(#"{"a":1,}"#)?.offset == 7)
    #expect(parseError(#"{"a" 1}"#)?.offset == 5)
    #expect(parseError(#"{"a":1"#)?.offset == 6)
    #expect(parseError("{1:2}")?.offset == 1)
    #expect(parseError("tru")?.offset == 0)
    #expect(parseError("True")?.offset == 0)
    #expect(parseError("[nul]")?.offset == 1)
    #expect(parseError("\u{c}1")?.offset == 0)
    #expect(parseError([0xef, 0xbb, 0xbf] + Array("1".utf8))?.offset == 0)
}

@Test func rejectsTrailingContentAfterTheValue() {
    #expect(parseError("1 2") == JSONError(offset: 2, message: "unexpected '2' after the JSON value"))
    #expect(parseError("{}}")?.offset == 2)
    #expect(parseError("null\u{0}")?.offset == 4)
    #expect(parseError("truex")?.offset == 4)
}

@Test func rejectsDuplicateKeysAtTheSecondKey() {
    #expect(parseError(#"{"a":1,"a":2}"#) == JSONError(offset: 7, message: "duplicate key \"a\""))
    #expect(parseError(#"{"a":{"b":1},"c":{"b":2,"b":3}}"#)?.offset == 24)
    #expect(parseError(#"{"a":1,"\u0061":2}"#)?.offset == 7)
}

@Test func rejectsBadStringsAtTheOffendingByte() {
    #expect(parseError("\"abc")?.offset == 4)
    #expect(parseError("\"a\nb\"")?.offset == 2)
    #expect(parseError("\"\u{1f}\"")?.offset == 1)
    #expect(parseError(#""\x""#)?.offset == 1)
    #expect(parseError(#""ab\"#)?.offset == 3)
    #expect(parseError(#""\u12g4""#)?.offset == 5)
    #expect(parseError(#""\u12""#)?.offset == 1)
}

@Test func rejectsLoneAndMispairedSurrogates() {
    #expect(parseError(#""\ud800""#)?.offset == 1)
    #expect(parseError(#""x\udc00""#)?.offset == 2)
    #expect(parseError(#""\ud800\u0041""#)?.offset == 1)
    #expect(parseError(#""\ud800\ud800""#)?.offset == 1)
    #expect(parseError(#""\ud800x""#)?.offset == 1)
    #expect(parseError(#""\udbff\udfff""#) == nil)
}

@Test func rejectsInvalidUTF8AtTheLeadByte() {
    let quote = UInt8(ascii: "\"")
    let invalid: [[UInt8]] = [
        [0x80],  // continuation without lead
        [0xc0, 0x80],  // overlong two-byte
        [0xc1, 0xbf],  // overlong two-byte
        [0xe0, 0x80, 0x80],  // overlong three-byte
        [0xed, 0xa0, 0x80],  // encoded surrogate
        [0xf0, 0x80, 0x80, 0x80],  // overlong four-byte
        [0xf4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xf5, 0x80, 0x80, 0x80],  // invalid lead
        [0xff],
        [0xe2, 0x82, 0x41],  // bad continuation
        [0xe2, 0x82],  // truncated before the closing quote
    ]
    for sequence in invalid {
        #expect(parseError([quote, UInt8(ascii: "a")] + sequence + [quote])?.offset == 2, "\(sequence)")
    }
    #expect(parseError([quote, 0xe2, 0x82])?.offset == 1)
}

@Test func enforcesTheDepthLimit() {
    let nested32 = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
    #expect(parseError(nested32) == nil)
    let nested33 = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    #expect(parseError(nested33)?.offset == 32)
    #expect(parseError(#"{"a":{"b":[1]}}"#, maxDepth: 2)?.offset == 10)
    #expect(parseError(#"{"a":{"b":[1]}}"#, maxDepth: 3) == nil)
    #expect(parseError("[]", maxDepth: 0)?.offset == 0)
    #expect(parseError("7", maxDepth: 0) == nil)
    #expect(parseError(String(repeating: "[", count: 100_000))?.offset == 32)
}

@Test func enforcesTheSizeLimit() {
    #expect(parseError("1234", maxBytes: 3) == JSONError(offset: 3, message: "input is 4 bytes, above the limit of 3"))
    #expect(parseError("123", maxBytes: 3) == nil)
}

@Test func everyProperPrefixOfADocumentIsRejected() {
    let document = Array(#"{"a":[1,"x\u00e9\n",{"b":null}],"c":true,"d":"é"}"#.utf8)
    #expect(parseError(document) == nil)
    for length in 0..<document.count {
        #expect(parseError(Array(document[..<length])) != nil, "prefix of \(length) bytes")
    }
}

@Test func mutatedDocumentsParseOrThrowJSONError() {
    var random = SeededGenerator(seed: 7)
    let document = Array(JSONWriter.write(randomValue(&random, depth: 3), pretty: false).utf8)
    let interesting: [UInt8] = Array(#"{}[]",:\-0123456789eEtfnu"#.utf8) + [0x00, 0x1f, 0x80, 0xc3, 0xed, 0xf4, 0xff]
    for _ in 0..<2000 {
        var mutated = document
        for _ in 0...Int.random(in: 0...3, using: &random) where !mutated.isEmpty {
            let index = Int.random(in: 0..<mutated.count, using: &random)
            switch Int.random(in: 0...2, using: &random) {
            case 0: mutated[index] = interesting.randomElement(using: &random) ?? 0
            case 1: mutated.remove(at: index)
            default: mutated.insert(interesting.randomElement(using: &random) ?? 0, at: index)
            }
        }
        do {
            let value = try JSONParser.parse(mutated)
            #expect(try JSONParser.parse(Array(JSONWriter.write(value, pretty: false).utf8)) == value)
        } catch {
            #expect(error is JSONError)
        }
    }
}

// MARK: - Writer

@Test func compactFormHasNoWhitespace() {
    let value = JSONValue.object([
        (key: "b", value: .array([.integer(1), .string("x y"), .bool(false), .null])),
        (key: "a", value: .object([])),
        (key: "c", value: .array([])),
    ])
    #expect(JSONWriter.write(value, pretty: false) == #"{"b":[1,"x y",false,null],"a":{},"c":[]}"#)
}

@Test func prettyFormIndentsTwoSpacesPerLevel() {
    let value = JSONValue.object([
        (key: "list", value: .array([.integer(1), .string("two")])),
        (key: "inner", value: .object([(key: "k", value: .bool(true)), (key: "e", value: .object([]))])),
        (key: "empty", value: .array([])),
    ])
    let expected = """
        {
          "list": [
            1,
            "two"
          ],
          "inner": {
            "k": true,
            "e": {}
          },
          "empty": []
        }
        """
    #expect(JSONWriter.write(value, pretty: true) == expected)
    #expect(JSONWriter.write(.integer(5), pretty: true) == "5")
}

@Test func writerEscapesQuotesBackslashesAndControlCharacters() throws {
    let text = "q\"b\\s/\u{8}\u{c}\n\r\t\u{0}\u{1f}\u{7f}é😀"
    let written = JSONWriter.write(.string(text), pretty: false)
    #expect(written == #""q\"b\\s/\b\f\n\r\t\u0000\u001f"# + "\u{7f}é😀\"")
    #expect(try parse(written) == .string(text))
}

@Test func roundTripsThroughBothForms() throws {
    let value = try parse(#"{"a":[1,{"b":[[],{}]},"\u0001é"],"n":null,"max":18446744073709551615}"#)
    #expect(try parse(JSONWriter.write(value, pretty: false)) == value)
    #expect(try parse(JSONWriter.write(value, pretty: true)) == value)
}

@Test func randomValuesRoundTripThroughWriterAndParser() throws {
    var random = SeededGenerator(seed: 2024)
    for index in 0..<2000 {
        let value = randomValue(&random, depth: 5)
        let pretty = index % 2 == 1
        let text = JSONWriter.write(value, pretty: pretty)
        #expect(try parse(text) == value, "value \(index): \(text)")
    }
}

// MARK: - Object reader

private func sampleDocument() throws -> JSONObjectReader {
    let text = #"""
        {"latest": {"name": "n", "count": 3, "flag": true, "nothing": null,
                    "segments": [{}, {}, {"probe": {"before": {"sequence": "7"}}}],
                    "numbers": [1, 2], "extra": 1}}
        """#
    return try JSONObjectReader(parse(text), path: "")
}

@Test func readerReturnsTypedMembers() throws {
    let latest = try sampleDocument().object("latest")
    #expect(latest.path == "latest")
    #expect(try latest.string("name") == "n")
    #expect(try latest.integer("count") == 3)
    #expect(try latest.bool("flag"))
    #expect(try latest.array("numbers") == [.integer(1), .integer(2)])
    #expect(try latest.objects("segments").map(\.path) == ["latest.segments[0]", "latest.segments[1]", "latest.segments[2]"])
    #expect(latest.has("nothing"))
    #expect(!latest.has("absent"))
}

@Test func readerErrorsNameTheFullPath() throws {
    let latest = try sampleDocument().object("latest")
    let probe = try latest.objects("segments")[2].object("probe").object("before")
    let error = #expect(throws: ProofDecodingError.self) { try probe.integer("sequence") }
    #expect(error?.path == "latest.segments[2].probe.before.sequence")
    #expect(error?.description == "latest.segments[2].probe.before.sequence: expected an integer")

    #expect(throws: ProofDecodingError(path: "latest.absent", message: "missing field")) {
        try latest.string("absent")
    }
    #expect(throws: ProofDecodingError(path: "latest.count", message: "expected a string")) {
        try latest.string("count")
    }
    #expect(throws: ProofDecodingError(path: "latest.name", message: "expected an array")) {
        try latest.array("name")
    }
    #expect(throws: ProofDecodingError(path: "latest.numbers[0]", message: "expected an object")) {
        try latest.objects("numbers")
    }
    #expect(throws: ProofDecodingError(path: "latest.name", message: "expected an object")) {
        try latest.object("name")
    }
    #expect(throws: ProofDecodingError(path: "latest.name", message: "expected a boolean")) {
        try latest.bool("name")
    }
    #expect(throws: ProofDecodingError(path: "top", message: "expected an object")) {
        try JSONObjectReader(.array([]), path: "top")
    }
}

@Test func optionalObjectTreatsAbsentAndNullAsNil() throws {
    let latest = try sampleDocument().object("latest")
    #expect(try latest.optionalObject("absent") == nil)
    #expect(try latest.optionalObject("nothing") == nil)
    #expect(try latest.optionalObject("latest") == nil)
    #expect(try sampleDocument().optionalObject("latest")?.path == "latest")
    #expect(throws: ProofDecodingError(path: "latest.segments", message: "expected an object")) {
        try latest.optionalObject("segments")
    }
}

@Test func rejectUnknownKeysNamesTheFirstUnknownField() throws {
    let latest = try sampleDocument().object("latest")
    let known: Set = ["name", "count", "flag", "nothing", "segments", "numbers"]
    #expect(throws: ProofDecodingError(path: "latest.extra", message: "unknown field")) {
        try latest.rejectUnknownKeys(allowed: known)
    }
    try latest.rejectUnknownKeys(allowed: known.union(["extra"]))
}

// MARK: - Random values

/// Characters chosen to exercise escaping and UTF-8: quotes, backslashes, control
/// characters, NUL, DEL, combining marks, and two-, three- and four-byte sequences.
private let alphabet: [Character] = [
    "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{c}", "\u{1f}",
    "\u{7f}", "é", "e\u{301}", "€", "😀", "\u{10ffff}", "\u{fffd}", "{", "]", ":", ",",
]

private func randomString(_ random: inout SeededGenerator) -> String {
    String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
}

/// A random value nested at most `depth` containers deep; object keys are made unique by an
/// index prefix.
func randomValue(_ random: inout SeededGenerator, depth: Int) -> JSONValue {
    let choice = Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &random)
    switch choice {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &random))
    case 2:
        let small = Bool.random(using: &random)
        return .integer(small ? UInt64.random(in: 0...1000, using: &random) : random.next())
    case 3, 4: return .string(randomString(&random))
    case 5:
        return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth - 1) })
    default:
        return .object(
            (0..<Int.random(in: 0...4, using: &random)).map { index in
                (key: "\(index)-" + randomString(&random), value: randomValue(&random, depth: depth - 1))
            })
    }
}
