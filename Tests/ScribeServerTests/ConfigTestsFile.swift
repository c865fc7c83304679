import ScribeTestSupport
import Testing

@testable import ScribeServer

@Suite struct ConfigTestsFile {
    @Test func readsEveryKeyFromAFile() throws {
        let directory = try TemporaryDirectory()
        let cert = try directory.write("cert.pem", "certificate")
        let key = try directory.write("key.pem", "private key")
        let file = try directory.write(
            "config.toml",
            """
            [node]
            id = "ledger-7"
            data_dir = "/var/lib/scribe"

            [network]
            listen_address = "0.0.0.0"
            client_port = 9_090

            [storage]
            durability = "buffered"
            max_value_size = 1048576
            max_key_size = 512
            memtable_size = 8388608
            block_cache_size = 0
            compression = "none"
            history_policy = "latest_only"
            segment_cache_dir = "/var/cache/scribe"
            segment_cache_size = 2_097_152
            segment_retention = "36h"
            replication_timeout = "1.5s"
            wal_group_interval = "500us"

            [storage.s3]
            endpoint = "http://127.0.0.1:9000"
            bucket = "scribe-segments"
            region = "eu-west-1"
            access_key_id = "minioadmin"
            secret_access_key = "miniosecret"
            session_token = "session-xyz"
            path_style = true
            prefix = "node-7/"
            request_timeout = "2s"
            max_attempts = 7

            [security]
            insecure = false
            audit_log = "/var/log/scribe-audit.log"

            [[security.api_keys]]
            name = "ops"
            sha256 = "\(sampleHashA)"
            role = "admin"

            [[security.api_keys]]
            name = "reporting"
            sha256 = "\(sampleHashB)"
            role = "read"

            [security.tls]
            enabled = true
            cert_path = "\(cert)"
            key_path = "\(key)"

            [security.rate_limit]
            enabled = true
            requests_per_second = 12.5
            burst = 25

            [logging]
            level = "debug"
            format = "json"

            [cluster]
            """)
        let configuration = try ConfigurationLoader.load(configFile: file, environment: [:], flags: [:])
        #expect(configuration.node == NodeIdentity(id: "ledger-7", dataDir: "/var/lib/scribe"))
        #expect(configuration.network == NetworkConfiguration(listenAddress: "0.0.0.0", clientPort: 9090))
        #expect(configuration.storage.durability == .buffered)
        #expect(configuration.storage.maxValueSize == 1_048_576)
        #expect(configuration.storage.maxKeySize == 512)
        #expect(configuration.storage.memtableSize == 8_388_608)
        #expect(configuration.storage.blockCacheSize == 0)
        #expect(configuration.storage.compression == .none)
        #expect(configuration.storage.historyPolicy == .latestOnly)
        var s3 = S3Configuration(endpoint: "http://127.0.0.1:9000", bucket: "scribe-segments")
        s3.region = "eu-west-1"
        s3.accessKeyID = "minioadmin"
        s3.secretAccessKey = "miniosecret"
        s3.sessionToken = "session-xyz"
        s3.credentialsSource = "\(file):27:1"
        s3.pathStyle = true
        s3.prefix = "node-7/"
        s3.requestTimeout = .seconds(2)
        s3.maxAttempts = 7
        #expect(configuration.storage.s3 == s3)
        #expect(!String(describing: s3).contains("miniosecret"))
        #expect(!String(describing: s3).contains("session-xyz"))
        #expect(configuration.storage.objectStore == .s3(s3))
        #expect(configuration.storage.segmentCacheDir == "/var/cache/scribe")
        #expect(configuration.segmentCachePath == "/var/cache/scribe")
        #expect(configuration.storage.segmentCacheSize == 2_097_152)
        #expect(configuration.storage.segmentRetention == .seconds(36 * 3600))
        #expect(configuration.storage.replicationTimeout == .milliseconds(1500))
        #expect(configuration.storage.walGroupInterval == .microseconds(500))
        #expect(configuration.security.insecure == false)
        #expect(configuration.security.apiKeys == [
            APIKeyEntry(name: "ops", sha256: sampleHashA, role: .admin),
            APIKeyEntry(name: "reporting", sha256: sampleHashB, role: .read),
        ])
        #expect(configuration.auditLogPath == "/var/log/scribe-audit.log")
        #expect(configuration.security.tls == TLSSettings(enabled: true, certPath: cert, keyPath: key))
        #expect(configuration.security.rateLimit == RateLimitConfiguration(enabled: true, requestsPerSecond: 12.5, burst: 25))
        #expect(configuration.logging == LoggingConfiguration(level: .debug, format: .json))
    }

    @Test func acceptsInlineTablesAndDottedKeysForTheSameSettings() throws {
        let configuration = try loadConfiguration(
            toml: """
                [security]
                api_keys = [
                  { name = "writer", sha256 = "\(sampleHashA)", role = "read-write" },
                ]
                rate_limit.enabled = true
                rate_limit.requests_per_second = 3
                """)
        #expect(configuration.security.apiKeys == [APIKeyEntry(name: "writer", sha256: sampleHashA, role: .readWrite)])
        #expect(configuration.security.rateLimit.enabled)
        #expect(configuration.security.rateLimit.requestsPerSecond == 3)
    }

    @Test func auditLogDefaultsIntoTheDataDirectory() throws {
        #expect(try loadConfiguration(flags: ["node.data_dir": "/srv/scribe/"]).auditLogPath == "/srv/scribe/audit.log")
        #expect(try loadConfiguration(flags: ["node.data_dir": "d"]).auditLogPath == "d/audit.log")
    }

    @Test func configFileMayComeFromSCRIBE_CONFIG() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("c.toml", "[node]\nid = \"from-env-file\"\n")
        let configuration = try ConfigurationLoader.load(
            configFile: nil, environment: ["SCRIBE_CONFIG": file], flags: [:])
        #expect(configuration.node.id == "from-env-file")
    }

    @Test func missingFileIsAnErrorNamingIt() {
        #expect {
            try ConfigurationLoader.load(configFile: "/tmp/no-such-scribe-config.toml", environment: [:], flags: [:])
        } throws: { error in
            String(describing: error).contains("/tmp/no-such-scribe-config.toml")
        }
    }

    @Test func repositoryConfigTomlHoldsTheDefaults() throws {
        let file = SourceTree.path("config.toml")
        let configuration = try ConfigurationLoader.load(configFile: file, environment: [:], flags: [:])
        #expect(configuration == NodeConfiguration())
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for key in ConfigurationLoader.allKeys {
            let leaf = key.key.split(separator: ".").last.map(String.init) ?? key.key
            #expect(text.contains(leaf + " ="), "config.toml does not show \(key.key)")
        }
    }
}
