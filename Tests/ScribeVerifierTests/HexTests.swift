import Testing
import ScribeVerifier
import ScribeBytes

@Test func hexEncodesLowercaseTwoDigitsPerByte() {
    #expect(Hex.encode([UInt8]()) == "")
    #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    #expect(Hex.encode((0...255).map { UInt8($0) }).count == 512)
}

@Test func hexDecodeInvertsEncode() {
    let bytes = (0...255).map { UInt8($0) }
    #expect(Hex.decode(Hex.encode(bytes)) == bytes)
    #expect(Hex.decode("") == [])
    #expect(Hex.decode("00ff7a") == [0x00, 0xff, 0x7a])
}

@Test func hexDecodeRejectsOddLengthUppercaseAndNonHex() {
    #expect(Hex.decode("0") == nil)
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("AB") == nil)
    #expect(Hex.decode("aB") == nil)
    #expect(Hex.decode("0g") == nil)
    #expect(Hex.decode(" 00") == nil)
    #expect(Hex.decode("0x00") == nil)
    #expect(Hex.decode("é") == nil)
}

@Test func typedHexAcceptsEitherCaseAndNothingElse() {
    #expect(Hex.decodeIgnoringCase("00FFa7Bc") == [0x00, 0xff, 0xa7, 0xbc])
    #expect(Hex.decodeIgnoringCase("") == [])
    for text in ["0", "0G", "g0", "0x00", " 0", "\u{10}0", "0\u{19}", "@0", "`0", "[0"] {
        #expect(Hex.decodeIgnoringCase(text) == nil, "\(text.debugDescription)")
    }
}
