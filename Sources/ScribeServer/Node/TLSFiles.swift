import NIOSSL

/// Loads the HTTPS listener's certificate chain and private key (PEM files).
enum TLSFiles {
    static func serverConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ConfigurationError(key: "security.tls.cert_path", message: "cannot load \(certificatePath): \(error)")
        }
        guard !chain.isEmpty else {
            throw ConfigurationError(key: "security.tls.cert_path", message: "\(certificatePath) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ConfigurationError(key: "security.tls.key_path", message: "cannot load \(keyPath): \(error)")
        }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
