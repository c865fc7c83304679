import CLSMSupport
import ScribeTestSupport
import Testing
@testable import LSMEngine

@Suite struct CRC32CTests {
    /// Published CRC32C (Castagnoli) check values (RFC 3720 appendix B.4 and the usual "123456789").
    @Test(arguments: [
        (Array("123456789".utf8), UInt32(0xE306_9283)),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),
        (Array(0...31), 0x46DD_794E),
        (Array((0...31).reversed()), 0x113F_DB5C),
        ([], 0),
    ] as [([UInt8], UInt32)])
    func matchesPublishedVectors(bytes: [UInt8], expected: UInt32) {
        #expect(CRC32C.checksum(bytes) == expected)
        #expect(bytes.withUnsafeBytes { clsm_crc32c_extend_portable(0, $0.bindMemory(to: UInt8.self).baseAddress, $0.count) } == expected)
    }

    @Test func extendingInPiecesEqualsOnePass() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 63, 64, 500, 999, 1000] {
            let head = CRC32C.checksum(bytes[..<split])
            #expect(CRC32C.checksum(bytes[split...], extending: head) == whole, "split at \(split)")
        }
        var running: UInt32 = 0
        for start in stride(from: 0, to: bytes.count, by: 13) {
            running = CRC32C.checksum(bytes[start..<min(start + 13, bytes.count)], extending: running)
        }
        #expect(running == whole)
    }

    @Test func hardwareAndPortablePathsAgree() {
        var generator = SystemRandomNumberGenerator()
        let data = generator.bytes(4200)
        data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress!
            for alignment in 0..<9 {
                for length in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 1023, 4096] {
                    let p = base + alignment
                    let hardware = clsm_crc32c_extend(0x1234_5678, p, length)
                    let portable = clsm_crc32c_extend_portable(0x1234_5678, p, length)
                    #expect(hardware == portable, "length \(length) at alignment \(alignment)")
                }
            }
        }
    }

    @Test func maskRoundTripsAndChangesTheValue() {
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF, 0x8000_0000, 0xA282_EAD8, 0x1234_5678] {
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
            #expect(CRC32C.mask(crc) != crc)
            #expect(CRC32C.mask(CRC32C.mask(crc)) != crc)
        }
    }
}
