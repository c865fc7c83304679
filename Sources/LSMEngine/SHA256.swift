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

    /// An incremental SHA-256. Not copyable: it owns an OpenSSL context.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        public init() {
            guard let ctx = EVP_MD_CTX_new() else {
                preconditionFailure("EVP_MD_CTX_new failed: out of memory")
            }
            EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
            context = ctx
        }

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            EVP_DigestUpdate(context, base, bytes.count)
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

        public consuming func finalize() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: SHA256.digestSize)
            var length: UInt32 = 0
            out.withUnsafeMutableBufferPointer { p in
                _ = EVP_DigestFinal_ex(context, p.baseAddress, &length)
            }
            return out
        }

        deinit {
            EVP_MD_CTX_free(context)
        }
    }
}
