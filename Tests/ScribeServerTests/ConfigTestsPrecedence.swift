import Testing

@testable import ScribeServer

@Suite struct ConfigTestsPrecedence {
    private let file = """
        [node]
        id = "from-file"
        [network]
        client_port = 9001
        [storage]
        durability = "buffered"
        [logging]
        level = "warning"
        [security]
        api_keys = [{ name = "file-key", sha256 = "\(sampleHashA)", role = "read" }]
        """

    @Test func fileOverridesDefaults() throws {
        let configuration = try loadConfiguration(toml: file)
        #expect(configuration.node.id == "from-file")
        #expect(configuration.network.clientPort == 9001)
        #expect(configuration.storage.durability == .buffered)
        #expect(configuration.logging.level == .warning)
        #expect(configuration.security.apiKeys.map(\.name) == ["file-key"])
        #expect(configuration.node.dataDir == "./data")
    }

    @Test func environmentOverridesFile() throws {
        let configuration = try loadConfiguration(
            toml: file,
            environment: [
                "SCRIBE_NODE_ID": "from-env", "SCRIBE_NETWORK_CLIENT_PORT": "9002",
                "SCRIBE_STORAGE_DURABILITY": "synced", "SCRIBE_LOGGING_LEVEL": "error",
                "SCRIBE_SECURITY_API_KEYS": "env-a:admin:\(sampleHashB), env-b:read-write:\(sampleHashA)",
                "PATH": "/usr/bin",
            ])
        #expect(configuration.node.id == "from-env")
        #expect(configuration.network.clientPort == 9002)
        #expect(configuration.storage.durability == .local)
        #expect(configuration.logging.level == .error)
        #expect(configuration.security.apiKeys == [
            APIKeyEntry(name: "env-a", sha256: sampleHashB, role: .admin),
            APIKeyEntry(name: "env-b", sha256: sampleHashA, role: .readWrite),
        ])
    }

    @Test func flagsOverrideEnvironmentAndFile() throws {
        let configuration = try loadConfiguration(
            toml: file,
            environment: ["SCRIBE_NODE_ID": "from-env", "SCRIBE_NETWORK_CLIENT_PORT": "9002", "SCRIBE_LOGGING_LEVEL": "error"],
            flags: ["node.id": "from-flag", "network.client_port": "9003", "security.api_keys": ""])
        #expect(configuration.node.id == "from-flag")
        #expect(configuration.network.clientPort == 9003)
        #expect(configuration.logging.level == .error)
        #expect(configuration.storage.durability == .buffered)
        #expect(configuration.security.apiKeys.isEmpty)
    }

    @Test func errorsNameTheLayerTheWinningValueCameFrom() {
        expectConfigurationError(
            toml: "[network]\nclient_port = 1\n", environment: ["SCRIBE_NETWORK_CLIENT_PORT": "70000"],
            mentions: ["network.client_port", "\"70000\"", "environment variable SCRIBE_NETWORK_CLIENT_PORT"])
        expectConfigurationError(
            toml: "[network]\nclient_port = 1\n", environment: ["SCRIBE_NETWORK_CLIENT_PORT": "2"],
            flags: ["network.client_port": "-1"],
            mentions: ["network.client_port", "\"-1\"", "command-line flag for network.client_port"])
    }

    @Test func textValuesUseTOMLNumberAndBooleanSyntax() throws {
        let configuration = try loadConfiguration(
            environment: ["SCRIBE_STORAGE_MEMTABLE_SIZE": "8_388_608", "SCRIBE_SECURITY_RATE_LIMIT_ENABLED": "true"],
            flags: ["security.rate_limit.requests_per_second": "0.5", "storage.block_cache_size": "0x100"])
        #expect(configuration.storage.memtableSize == 8_388_608)
        #expect(configuration.security.rateLimit.enabled)
        #expect(configuration.security.rateLimit.requestsPerSecond == 0.5)
        #expect(configuration.storage.blockCacheSize == 256)
    }

    @Test func reservedScribeVariablesAreNotConfigurationKeys() throws {
        let configuration = try loadConfiguration(environment: ["SCRIBE_FUZZ": "1", "SCRIBE_WRITE_VECTORS": "1"])
        #expect(configuration == NodeConfiguration())
    }
}
