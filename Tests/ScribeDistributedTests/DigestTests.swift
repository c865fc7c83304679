import ScribeTestSupport
import S3Protocol
import ScribeBytes
import ScribeCrypto
import ScribeVerifier
import Testing

@Suite struct DigestTests {
    @Test func md5AndSHA256MatchKnownValues() {
        #expect(Hex.encode(MD5.hash([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Hex.encode(MD5.hash(Array("The quick brown fox jumps over the lazy dog".utf8)))
            == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The fast SHA-256 (libcrypto) and the verifier's portable one agree on every
    /// length around the 64-byte block and its 55/56-byte padding edge, fed whole or
    /// in pieces, and on a value larger than any buffer either keeps.
    @Test func libcryptoAndPortableSHA256Agree() {
        var generator = SeededGenerator(seed: 7)
        for length in Array(0...200) + [1_000, 4_096, 65_537, 3 << 20] {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let fast = SHA256.hash(bytes)
            #expect(fast == PortableSHA256.hash(bytes), "length \(length)")
            var hasher = SHA256.Hasher()
            let cut = length / 3
            hasher.update(bytes[..<cut])
            hasher.update(bytes[cut...])
            #expect(hasher.finalize() == fast, "length \(length) fed in two pieces")
        }
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2.
        let mac = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func multipartTagsHashThePartDigests() {
        let parts = [[UInt8](repeating: 1, count: 10), [UInt8](repeating: 2, count: 3)]
        let md5s = parts.map { MD5.hash($0) }
        let expected = Hex.encode(MD5.hash(md5s[0] + md5s[1])) + "-2"
        #expect(S3ETag.multipart(partMD5s: md5s) == expected)
        #expect(S3ETag.singlePart(md5: md5s[0]) == Hex.encode(md5s[0]))
        #expect(S3ETag.unquoted("\"abc\"") == "abc")
        #expect(S3ETag.unquoted("abc") == "abc")
        #expect(S3ETag.unquoted("\"") == "\"")
    }
}
