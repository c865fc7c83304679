import CCryptoSSL

/// MD5 from OpenSSL's libcrypto, for one purpose only: S3's entity tags, which are
/// MD5s of the uploaded bytes. Nothing in the product's integrity rests on it.
public enum MD5 {
    /// The size of a digest in bytes.
    public static let digestSize = 16

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestSize) { output, initialized in
            var length: UInt32 = 0
            // EVP_Digest reads nothing (and accepts a null pointer) when the count is zero.
            let status = EVP_Digest(bytes.baseAddress, bytes.count, output.baseAddress, &length, EVP_md5(), nil)
            initialized = status == 1 ? Int(length) : 0
        }
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}
