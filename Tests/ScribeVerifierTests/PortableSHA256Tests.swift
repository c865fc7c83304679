import Testing
import ScribeVerifier
import ScribeBytes

/// The digest of `bytes` as lowercase hex.
private func hexDigest(_ bytes: [UInt8]) -> String {
    Hex.encode(PortableSHA256.hash(bytes))
}

/// `count` bytes of the pattern (i * 31 + 7) mod 256 that the reference digests were made of.
private func pattern(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}

@Test func matchesTheNISTShortMessageVectors() {
    #expect(hexDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
        hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    let message896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
    #expect(hexDigest(Array(message896.utf8)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
}

@Test func matchesTheNISTMillionAVector() {
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    #expect(hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == expected)
    var hasher = PortableSHA256.Hasher()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(chunk) }
    #expect(Hex.encode(hasher.finalize()) == expected)
}

@Test func matchesReferenceDigestsAtThePaddingEdges() {
    let references: [(length: Int, digest: String)] = [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"),
        (55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"),
        (56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"),
        (63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"),
        (64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"),
        (65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"),
        (119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"),
        (120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"),
        (127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"),
        (128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"),
        (200, "44cae5223d431caed4a9e32271d6abf17c3f2f4abac45fcdb48a99fcc6072a09"),
    ]
    for reference in references {
        #expect(hexDigest(pattern(reference.length)) == reference.digest, "length \(reference.length)")
    }
}

@Test func everyUpdatePathAgreesForLengthsUpTo200() {
    for length in 0...200 {
        let message = pattern(length)
        let oneShot = PortableSHA256.hash(message)

        var byteByByte = PortableSHA256.Hasher()
        for byte in message { byteByByte.update(byte: byte) }
        #expect(byteByByte.finalize() == oneShot, "byte by byte, length \(length)")

        var generic = PortableSHA256.Hasher()
        generic.update(message.lazy.map { $0 })
        #expect(generic.finalize() == oneShot, "non-contiguous collection, length \(length)")

        let raw = message.withUnsafeBytes { PortableSHA256.hash($0) }
        #expect(raw == oneShot, "raw buffer, length \(length)")
    }
}

@Test func splittingAMessageAtAnyOffsetGivesTheOneShotDigest() {
    let message = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    let expected = "4d5e47a2e8510a314576c238f6ff19d389d3ef3aaaca8b2e530263a5d15741da"
    #expect(hexDigest(message) == expected)
    for split in 0...130 {
        var hasher = PortableSHA256.Hasher()
        hasher.update(message[..<split])
        hasher.update(Array(message[split...]))
        #expect(Hex.encode(hasher.finalize()) == expected, "split at \(split)")
    }
}

@Test func finalizeResetsTheHasherForReuse() {
    var hasher = PortableSHA256.Hasher()
    hasher.update(Array("abc".utf8))
    _ = hasher.finalize()
    hasher.update(Array("abc".utf8))
    #expect(Hex.encode(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}
