/// Everything `scribe-node` is configured with. `NodeConfiguration()` holds the
/// built-in defaults; `ConfigurationLoader.load` layers a TOML file, `SCRIBE_*`
/// environment variables and flags over them and validates the result.
public struct NodeConfiguration: Sendable, Equatable {
    public var node = NodeIdentity()
    public var network = NetworkConfiguration()
    public var storage = StorageConfiguration()
    public var security = SecurityConfiguration()
    public var logging = LoggingConfiguration()
    public var cluster = ClusterConfiguration()

    public init() {}

    /// Reads every section, then checks the rules that span sections.
    init(reading settings: SettingReader) throws {
        node = try NodeIdentity(reading: settings)
        network = try NetworkConfiguration(reading: settings)
        storage = try StorageConfiguration(reading: settings)
        security = try SecurityConfiguration(reading: settings)
        logging = try LoggingConfiguration(reading: settings)
        try validateAcrossSections(settings)
    }

    /// The audit log file: `security.audit_log`, or `<data_dir>/audit.log` when that is empty.
    public var auditLogPath: String {
        security.auditLog.isEmpty ? inDataDirectory("audit.log") : security.auditLog
    }

    /// The segment cache directory: `storage.segment_cache_dir`, or `<data_dir>/segment-cache`
    /// when that is empty.
    public var segmentCachePath: String {
        storage.segmentCacheDir.isEmpty ? inDataDirectory("segment-cache") : storage.segmentCacheDir
    }

    private func inDataDirectory(_ name: String) -> String {
        node.dataDir.hasSuffix("/") ? node.dataDir + name : node.dataDir + "/" + name
    }

    private func validateAcrossSections(_ settings: SettingReader) throws {
        if !network.isLoopback, security.apiKeys.isEmpty, !security.insecure {
            throw settings.conflict(
                "network.listen_address",
                "a non-loopback address with no API keys would let anyone on the network read and write. "
                    + "Configure security.api_keys, or accept that risk with --insecure "
                    + "(security.insecure = true, SCRIBE_SECURITY_INSECURE=true)")
        }
    }
}
