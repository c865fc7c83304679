#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import NIOSSL

/// Why the TLS files could not be used; always names the file at fault.
public struct TLSSetupError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "TLS: \(path): \(reason)" }
}

/// The server side of TLS for the HTTP listener.
///
/// Pass the result to Hummingbird's TLS server builder (`HummingbirdTLS`):
/// `Application(router: router, server: try .tls(.http1(), tlsConfiguration: configuration), ...)`.
public enum TLSSetup {
    /// The largest PEM file accepted: far above any real chain or key.
    static let maxFileSize = 1 << 20

    /// A server configuration presenting the PEM certificate chain at `certificatePath`
    /// (leaf first, then intermediates) with the PEM private key at `keyPath`; TLS 1.2
    /// or later, no client certificates.
    ///
    /// Everything is checked now rather than at the first connection: both files must
    /// be readable, the chain must hold at least one certificate, the key must parse
    /// (unencrypted), and the key must belong to the leaf certificate. Each failure
    /// throws `TLSSetupError` naming the file concerned.
    public static func serverConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let certificateBytes = try readFile(certificatePath)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificateBytes)
        } catch {
            throw TLSSetupError(path: certificatePath, reason: "not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else {
            throw TLSSetupError(path: certificatePath, reason: "holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: try readFile(keyPath), format: .pem)
        } catch let error as TLSSetupError {
            throw error
        } catch {
            throw TLSSetupError(path: keyPath, reason: "not an unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSSetupError(
                path: keyPath, reason: "does not match the certificate in \(certificatePath), or is unusable (\(error))")
        }
        return configuration
    }

    /// The whole file at `path`, up to `maxFileSize` bytes.
    private static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TLSSetupError(path: path, reason: "cannot open: " + String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TLSSetupError(path: path, reason: "cannot read: " + String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxFileSize else {
                throw TLSSetupError(path: path, reason: "larger than \(maxFileSize) bytes; not a PEM file")
            }
        }
    }
}
