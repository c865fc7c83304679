import CCryptoSSL
import ScribeBytes

/// SHA-256 from OpenSSL's libcrypto (SHA-NI or AVX2 where the CPU has them): the fast
/// one, which the engine, the server and the S3 client share. The verifier keeps its own
/// dependency-free `PortableSHA256`, so a proof can be checked without libcrypto.
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

    /// The digest of the UTF-8 bytes of `text`, as lowercase hex.
    public static func hex(_ text: String) -> String {
        Hex.encode(hash(Array(text.utf8)))
    }

    /// The digest of the empty message, as lowercase hex (`e3b0c442…b855`).
    public static let emptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

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

        /// The digest of everything fed so far; the hasher must not be fed after.
        public mutating func finalize() -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: SHA256.digestSize) { buffer, initialized in
                SHA256_Final(buffer.baseAddress, &context)
                initialized = SHA256.digestSize
            }
        }
    }
}
