import CLSMSupport

/// CRC32C (Castagnoli), hardware-accelerated where the CPU allows.
package enum CRC32C {
    package static func checksum(_ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return clsm_crc32c_extend(crc, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    package static func checksum(_ bytes: some ContiguousBytesView, extending crc: UInt32 = 0) -> UInt32 {
        bytes.withBytes { checksum($0, extending: crc) }
    }

    private static let maskDelta: UInt32 = 0xa282_ead8

    /// LevelDB's mask: a CRC stored next to data it covers is rotated and offset
    /// so that checksumming a buffer that embeds checksums stays well distributed.
    package static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }

    static func unmask(_ masked: UInt32) -> UInt32 {
        let rot = masked &- maskDelta
        return (rot >> 17) | (rot << 15)
    }
}

/// Byte containers the checksum and hash helpers read without copying.
package protocol ContiguousBytesView {
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesView where Element == UInt8 {
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesView where Element == UInt8 {
    package func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}
