import LSMEngine
import Testing

@testable import ScribeServer

@Suite struct ConfigTestsDefaults {
    @Test func loadingNothingGivesTheBuiltInDefaults() throws {
        let configuration = try loadConfiguration()
        #expect(configuration == NodeConfiguration())
        #expect(configuration.node.id == "node-1")
        #expect(configuration.node.dataDir == "./data")
        #expect(configuration.network.listenAddress == "127.0.0.1")
        #expect(configuration.network.clientPort == 8080)
        #expect(configuration.storage.durability == .local)
        #expect(configuration.storage.maxValueSize == 67_108_864)
        #expect(configuration.storage.maxKeySize == 65536)
        #expect(configuration.storage.memtableSize == 67_108_864)
        #expect(configuration.storage.blockCacheSize == 33_554_432)
        #expect(configuration.storage.compression == .lz4)
        #expect(configuration.storage.historyPolicy == .retainAll)
        #expect(configuration.storage.recoveryMode == .strict)
        #expect(configuration.storage.s3 == nil)
        #expect(configuration.storage.objectStoreDir.isEmpty)
        #expect(configuration.storage.objectStore == nil)
        #expect(configuration.durableTierPlan == nil)
        #expect(configuration.segmentCachePath == "./data/segment-cache")
        #expect(configuration.storage.segmentCacheSize == 1 << 30)
        #expect(configuration.storage.segmentRetention == .seconds(7 * 86_400))
        #expect(configuration.storage.replicationTimeout == .seconds(10))
        #expect(configuration.storage.walGroupInterval == .milliseconds(2))
        #expect(configuration.security.insecure == false)
        #expect(configuration.security.apiKeys.isEmpty)
        #expect(configuration.security.tls == TLSSettings())
        #expect(configuration.security.rateLimit == RateLimitConfiguration(enabled: false, requestsPerSecond: 100, burst: 200))
        #expect(configuration.auditLogPath == "./data/audit.log")
        #expect(configuration.logging == LoggingConfiguration(level: .info, format: .text))
    }

    @Test func documentedDefaultsParseToTheBuiltInDefaults() throws {
        var flags: [String: String] = [:]
        for key in ConfigurationLoader.allKeys where !key.key.hasPrefix("storage.s3.") {
            flags[key.key] = key.defaultValue
        }
        #expect(try loadConfiguration(flags: flags) == NodeConfiguration())
    }

    @Test func everyKeyHasAUniqueEnvironmentVariableFollowingTheRule() {
        let keys = ConfigurationLoader.allKeys.map(\.key)
        #expect(Set(keys).count == keys.count)
        let variables = keys.compactMap(ConfigurationLoader.environmentVariable(for:))
        #expect(Set(variables).count == keys.count)
        #expect(ConfigurationLoader.environmentVariable(for: "network.client_port") == "SCRIBE_NETWORK_CLIENT_PORT")
        #expect(ConfigurationLoader.environmentVariable(for: "node.id") == "SCRIBE_NODE_ID")
        #expect(ConfigurationLoader.environmentVariable(for: "node.data_dir") == "SCRIBE_NODE_DATA_DIR")
        #expect(
            ConfigurationLoader.environmentVariable(for: "storage.s3.access_key_id")
                == "SCRIBE_STORAGE_S3_ACCESS_KEY_ID")
        #expect(ConfigurationLoader.environmentVariable(for: "no.such_key") == nil)
        #expect(ConfigurationLoader.allKeys.allSatisfy { !$0.help.isEmpty })
    }

    @Test func storeOptionsCarryTheStorageSettings() throws {
        let configuration = try loadConfiguration(flags: [
            "storage.max_key_size": "1024", "storage.max_value_size": "4096", "storage.memtable_size": "1048576",
            "storage.block_cache_size": "0", "storage.compression": "none", "storage.history_policy": "latest_only",
            "storage.durability": "buffered", "storage.recovery_mode": "skip_corruption",
        ])
        let options = configuration.storeOptions()
        #expect(options.maxKeySize == 1024)
        #expect(options.maxValueSize == 4096)
        #expect(options.memtableSize == 1_048_576)
        #expect(options.blockCacheSize == 0)
        #expect(options.compression == .none)
        #expect(options.historyPolicy == .latestOnly)
        #expect(options.recoveryMode == .skipCorruption)
        #expect(NodeConfiguration().storeOptions().recoveryMode == .strict)
        #expect(configuration.writeOptions.sync == false)
        #expect(NodeConfiguration().writeOptions.sync == true)
        #expect(NodeConfiguration().storeOptions().compression == .lz4)
    }

    @Test func valueSizeLimitMatchesTheEngineCeiling() {
        guard case let .integer(range)? = ConfigurationCatalog.key(named: "storage.max_value_size")?.kind else {
            Issue.record("storage.max_value_size is not an integer key")
            return
        }
        #expect(range.upperBound == Int64(StoreOptions.valueSizeCeiling))
    }
}
