import CCryptoSSL

/// HMAC-SHA256 (RFC 2104) from OpenSSL's libcrypto: how Signature Version 4 derives
/// its signing key and signs a request.
public enum HMACSHA256 {
    /// The size of a tag in bytes.
    public static let tagSize = 32

    /// The tag of `message` under `key`.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: tagSize) { output, initialized in
            var length: UInt32 = 0
            let status = key.withUnsafeBytes { key in
                message.withUnsafeBytes { message in
                    HMAC(EVP_sha256(), key.baseAddress, Int32(clamping: key.count),
                         message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count,
                         output.baseAddress, &length)
                }
            }
            initialized = status == nil ? 0 : Int(length)
        }
    }
}
