import CCryptoSSL
import ScribeVerifier

/// The digests S3 requests need, from OpenSSL's libcrypto: SHA-256 for payload hashes
/// and Signature Version 4, HMAC-SHA256 for signing keys, MD5 for entity tags.
/// Each call hashes one buffer and allocates only the digest it returns.
public enum S3Digest {
    /// The SHA-256 of the empty payload, as lowercase hex (`e3b0c442…b855`).
    public static let emptySHA256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        digest(bytes, EVP_sha256(), size: 32)
    }

    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { sha256($0) }
    }

    /// SHA-256 of the UTF-8 bytes of `text`, as lowercase hex.
    public static func sha256Hex(_ text: String) -> String {
        hex(sha256(Array(text.utf8)))
    }

    /// MD5 of `bytes` (16 bytes): what S3 reports as a single-part object's entity tag.
    public static func md5(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        digest(bytes, EVP_md5(), size: 16)
    }

    /// MD5 of `bytes` (16 bytes).
    public static func md5(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { md5($0) }
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, initialized in
            var length: UInt32 = 0
            key.withUnsafeBytes { key in
                message.withUnsafeBytes { message in
                    _ = HMAC(EVP_sha256(), key.baseAddress, Int32(key.count),
                             message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                             output.baseAddress, &length)
                }
            }
            initialized = Int(length)
        }
    }

    /// `bytes` as lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }

    private static func digest(_ bytes: UnsafeRawBufferPointer, _ type: OpaquePointer?, size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { output, initialized in
            var length: UInt32 = 0
            // EVP_Digest reads nothing (and accepts a null pointer) when the count is zero.
            let status = EVP_Digest(bytes.baseAddress, bytes.count, output.baseAddress, &length, type, nil)
            initialized = status == 1 ? Int(length) : 0
        }
    }
}
