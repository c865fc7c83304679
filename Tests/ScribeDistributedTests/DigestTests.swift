import S3Protocol
import Testing

@Suite struct DigestTests {
    @Test func md5AndSHA256MatchKnownValues() {
        #expect(S3Digest.hex(S3Digest.md5([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(S3Digest.hex(S3Digest.md5(Array("The quick brown fox jumps over the lazy dog".utf8)))
            == "9e107d9d372bb6826bd81d3542a419d6")
        #expect(S3Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231 test case 2.
        let mac = S3Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(S3Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func multipartTagsHashThePartDigests() {
        let parts = [[UInt8](repeating: 1, count: 10), [UInt8](repeating: 2, count: 3)]
        let md5s = parts.map { S3Digest.md5($0) }
        let expected = S3Digest.hex(S3Digest.md5(md5s[0] + md5s[1])) + "-2"
        #expect(S3ETag.multipart(partMD5s: md5s) == expected)
        #expect(S3ETag.singlePart(md5: md5s[0]) == S3Digest.hex(md5s[0]))
        #expect(S3ETag.unquoted("\"abc\"") == "abc")
        #expect(S3ETag.unquoted("abc") == "abc")
        #expect(S3ETag.unquoted("\"") == "\"")
    }
}
