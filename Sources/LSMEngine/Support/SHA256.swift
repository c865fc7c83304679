import CCryptoSSL

/// SHA-256 from OpenSSL's libcrypto.
public enum SHA256 {
    public static let digestSize = 32

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// An incremental SHA-256: a plain value holding OpenSSL's `SHA256_CTX`,
    /// so hashing allocates nothing but the digest it returns.
    public struct Hasher {
        private var context = SHA256_CTX()

        public init() {
            SHA256_Init(&context)
        }

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            SHA256_Update(&context, base, bytes.count)
        }

        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        public mutating func update(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBytes { update($0) }
        }

        public mutating func update(byte: UInt8) {
            withUnsafeBytes(of: byte) { update($0) }
        }

        /// Feeds `fixed32le(value)`.
        mutating func update(fixed32 value: UInt32) {
            withUnsafeBytes(of: value.littleEndian) { update($0) }
        }

        /// Feeds `fixed64le(value)`.
        mutating func update(fixed64 value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { update($0) }
        }

        /// Feeds the LEB128 varint encoding of `value`.
        mutating func update(varint value: UInt64) {
            var v = value
            var bytes: (UInt64, UInt64) = (0, 0)
            let count = withUnsafeMutableBytes(of: &bytes) { out -> Int in
                var n = 0
                while v >= 0x80 {
                    out[n] = UInt8(truncatingIfNeeded: v) | 0x80
                    v >>= 7
                    n += 1
                }
                out[n] = UInt8(truncatingIfNeeded: v)
                return n + 1
            }
            withUnsafeBytes(of: bytes) { update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }

        /// The digest of everything fed so far; the hasher must not be fed after.
        public mutating func finalize() -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: SHA256.digestSize) { buffer, initialized in
                SHA256_Final(buffer.baseAddress, &context)
                initialized = SHA256.digestSize
            }
        }
    }
}
