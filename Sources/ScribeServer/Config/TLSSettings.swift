import Foundation

/// `[security.tls]`: HTTPS for the client listener.
public struct TLSSettings: Sendable, Equatable {
    public var enabled = false
    /// PEM certificate chain; must exist and be readable when enabled.
    public var certPath = ""
    /// PEM private key; must exist and be readable when enabled.
    public var keyPath = ""

    public init(enabled: Bool = false, certPath: String = "", keyPath: String = "") {
        self.enabled = enabled
        self.certPath = certPath
        self.keyPath = keyPath
    }

    init(reading settings: SettingReader) throws {
        enabled = try settings.boolean("security.tls.enabled")
        certPath = try settings.string("security.tls.cert_path")
        keyPath = try settings.string("security.tls.key_path")
        guard enabled else { return }
        for (name, path) in [("security.tls.cert_path", certPath), ("security.tls.key_path", keyPath)] {
            guard !path.isEmpty else {
                throw settings.conflict(name, "is required when security.tls.enabled is true")
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else {
                throw settings.conflict(name, "no such file (TLS is enabled)")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw settings.conflict(name, "the file is not readable by this process")
            }
        }
    }
}
