import Testing

@testable import ScribeServer

@Suite struct ConfigTestsObjectStore {
    @Test func objectStoreDirectoryAndTierKeysComeFromTheEnvironment() throws {
        let configuration = try loadConfiguration(environment: [
            "SCRIBE_STORAGE_OBJECT_STORE_DIR": "/srv/objects", "SCRIBE_STORAGE_SEGMENT_CACHE_DIR": "/srv/cache",
            "SCRIBE_STORAGE_SEGMENT_CACHE_SIZE": "64_000_000", "SCRIBE_STORAGE_SEGMENT_RETENTION": "2d",
            "SCRIBE_STORAGE_REPLICATION_TIMEOUT": "250ms", "SCRIBE_STORAGE_WAL_GROUP_INTERVAL": "0s",
            "SCRIBE_STORAGE_DURABILITY": "replicated",
        ])
        #expect(configuration.storage.objectStore == .directory("/srv/objects"))
        #expect(configuration.storage.durability == .replicated)
        #expect(configuration.durableTierPlan == DurableTierPlan(
            objectStore: .directory("/srv/objects"), segmentCacheDirectory: "/srv/cache", segmentCacheBytes: 64_000_000,
            segmentRetention: .seconds(2 * 86_400), replicationTimeout: .milliseconds(250), walGroupInterval: .zero))
    }

    @Test func objectStoreDirectoryAndTierKeysComeFromAFileAndFlagsOverrideIt() throws {
        let toml = """
            [storage]
            object_store_dir = "/from/file"
            segment_retention = "1h"
            replication_timeout = "3s"
            wal_group_interval = "5ms"
            segment_cache_size = 0
            """
        let fromFile = try loadConfiguration(toml: toml)
        #expect(fromFile.storage.objectStore == .directory("/from/file"))
        #expect(fromFile.storage.segmentRetention == .seconds(3600))
        #expect(fromFile.storage.replicationTimeout == .seconds(3))
        #expect(fromFile.storage.walGroupInterval == .milliseconds(5))
        #expect(fromFile.storage.segmentCacheSize == 0)
        #expect(fromFile.segmentCachePath == "./data/segment-cache")
        let flagged = try loadConfiguration(
            toml: toml,
            flags: [
                "storage.object_store_dir": "/from/flag", "storage.segment_retention": "90m",
                "storage.replication_timeout": "2s", "storage.wal_group_interval": "1ms",
                "storage.segment_cache_dir": "/flag/cache", "storage.segment_cache_size": "1048576",
                "node.data_dir": "/d",
            ])
        #expect(flagged.durableTierPlan == DurableTierPlan(
            objectStore: .directory("/from/flag"), segmentCacheDirectory: "/flag/cache", segmentCacheBytes: 1_048_576,
            segmentRetention: .seconds(5400), replicationTimeout: .seconds(2), walGroupInterval: .milliseconds(1)))
        #expect(try loadConfiguration(flags: ["storage.object_store_dir": "o", "node.data_dir": "/d/"]).segmentCachePath
            == "/d/segment-cache")
    }

    @Test func s3KeysComeFromTheEnvironmentAndFlags() throws {
        let configuration = try loadConfiguration(
            environment: [
                "SCRIBE_STORAGE_S3_ENDPOINT": "http://127.0.0.1:5000", "SCRIBE_STORAGE_S3_BUCKET": "ledger",
                "SCRIBE_STORAGE_S3_ACCESS_KEY_ID": "id", "SCRIBE_STORAGE_S3_SECRET_ACCESS_KEY": "secret",
                "SCRIBE_STORAGE_S3_SESSION_TOKEN": "token", "SCRIBE_STORAGE_S3_REQUEST_TIMEOUT": "5s",
                "SCRIBE_STORAGE_S3_MAX_ATTEMPTS": "2",
            ],
            flags: ["storage.s3.path_style": "true", "storage.s3.prefix": "p", "storage.s3.max_attempts": "3"])
        let s3 = try #require(configuration.storage.s3)
        #expect(s3.sessionToken == "token")
        #expect(s3.requestTimeout == .seconds(5))
        #expect(s3.maxAttempts == 3)
        #expect(s3.pathStyle && s3.prefix == "p")
        #expect(s3.credentialsSource == "environment variable SCRIBE_STORAGE_S3_ACCESS_KEY_ID")
        #expect(configuration.durableTierPlan?.objectStore == .s3(s3))
    }

    @Test func standardAWSVariablesSupplyCredentialsAndRegionAndNameThemselves() throws {
        let s3Flags = ["storage.s3.endpoint": "http://127.0.0.1:5000", "storage.s3.bucket": "ledger"]
        let aws = [
            "AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "aws-secret", "AWS_SESSION_TOKEN": "aws-token",
            "AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "ap-south-1",
        ]
        let s3 = try #require(try loadConfiguration(environment: aws, flags: s3Flags).storage.s3)
        #expect(s3.accessKeyID == "AKIA")
        #expect(s3.secretAccessKey == "aws-secret")
        #expect(s3.sessionToken == "aws-token")
        #expect(s3.region == "eu-north-1")
        #expect(s3.credentialsSource == "environment variable AWS_ACCESS_KEY_ID")
        var defaultRegion = aws
        defaultRegion["AWS_REGION"] = ""
        #expect(try loadConfiguration(environment: defaultRegion, flags: s3Flags).storage.s3?.region == "ap-south-1")
        let regionFromFile = try loadConfiguration(toml: "[storage.s3]\nregion = \"us-west-2\"\n", environment: aws, flags: s3Flags)
        #expect(regionFromFile.storage.s3?.region == "us-west-2")
    }

    @Test func standardAWSVariablesNeverEnableS3OrMixWithConfiguredCredentials() throws {
        let aws = ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "aws-secret", "AWS_REGION": "eu-north-1"]
        #expect(try loadConfiguration(environment: aws).storage.s3 == nil)
        #expect(try loadConfiguration(environment: aws) == NodeConfiguration())
        let s3Flags = ["storage.s3.endpoint": "http://127.0.0.1:5000", "storage.s3.bucket": "ledger"]
        var onlyKey = s3Flags
        onlyKey["storage.s3.access_key_id"] = "from-flag"
        expectConfigurationError(
            environment: aws, flags: onlyKey,
            mentions: ["storage.s3.secret_access_key = \"\"", "the built-in default", "set together",
                       "command-line flag for storage.s3.access_key_id"])
        var anonymous = s3Flags
        anonymous["storage.s3.access_key_id"] = ""
        anonymous["storage.s3.secret_access_key"] = ""
        let s3 = try loadConfiguration(environment: aws, flags: anonymous).storage.s3
        #expect(s3?.accessKeyID == "" && s3?.secretAccessKey == "")
        #expect(s3?.credentialsSource == "none (anonymous)")
        expectConfigurationError(
            environment: ["AWS_ACCESS_KEY_ID": "AKIA"], flags: s3Flags,
            mentions: ["storage.s3.secret_access_key", "environment variable AWS_ACCESS_KEY_ID"])
        expectConfigurationError(
            environment: ["AWS_SESSION_TOKEN": "t"], flags: s3Flags,
            mentions: ["storage.s3.session_token = \"t\"", "environment variable AWS_SESSION_TOKEN", "needs access_key_id"])
    }

    @Test func oneObjectStoreAtMost() {
        expectConfigurationError(
            toml: "[storage]\nobject_store_dir = \"/objects\"\n[storage.s3]\nendpoint = \"http://h:1\"\nbucket = \"bkt\"\n",
            mentions: ["storage.object_store_dir = \"/objects\"", "config.toml:2:1", "[storage.s3]", "config.toml:4:1",
                       "choose one object store"])
    }

    @Test func replicatedDurabilityNeedsAnObjectStore() throws {
        expectConfigurationError(
            flags: ["storage.durability": "replicated"],
            mentions: ["storage.durability = \"replicated\"", "command-line flag", "object store",
                       "storage.object_store_dir", "[storage.s3]"])
        expectConfigurationError(
            toml: "[storage]\ndurability = \"replicated\"\n", mentions: ["storage.durability", "config.toml:2:1"])
        #expect(try loadConfiguration(
            flags: ["storage.durability": "replicated", "storage.object_store_dir": "/o"]).storage.durability == .replicated)
    }

    @Test func syncedIsAnAliasOfLocal() throws {
        #expect(try loadConfiguration(toml: "[storage]\ndurability = \"synced\"\n").storage.durability == .local)
        #expect(try loadConfiguration(environment: ["SCRIBE_STORAGE_DURABILITY": "synced"]).storage.durability == .local)
        #expect(try loadConfiguration(flags: ["storage.durability": "local"]).storage.durability == .local)
        #expect(try loadConfiguration(flags: ["storage.durability": "buffered"]).storage.durability == .buffered)
        #expect(Durability(rawValue: "synced") == .local)
        #expect(Durability.local.rawValue == "local")
        #expect(Durability(rawValue: "Synced") == nil)
        #expect(Durability.replicated.writeOptions.sync && Durability.local.writeOptions.sync)
        #expect(!Durability.buffered.writeOptions.sync)
    }

    @Test func durationsNeedAUnitAndStayInRange() {
        for bad in ["10", "10 s", "-1s", "1.s", ".5s", "5x", "s", "1e3s", ""] {
            expectConfigurationError(
                flags: ["storage.replication_timeout": bad],
                mentions: ["storage.replication_timeout = \"\(bad)\"", "a duration such as", "from 1ms to 1h"])
        }
        expectConfigurationError(
            toml: "[storage]\nreplication_timeout = 10\n",
            mentions: ["storage.replication_timeout = 10", "config.toml:2:1", "a duration"])
        expectConfigurationError(
            environment: ["SCRIBE_STORAGE_WAL_GROUP_INTERVAL": "2s"],
            mentions: ["storage.wal_group_interval = \"2s\"", "SCRIBE_STORAGE_WAL_GROUP_INTERVAL", "from 0s to 1s"])
        expectConfigurationError(
            flags: ["storage.s3.endpoint": "http://h:1", "storage.s3.bucket": "bkt", "storage.s3.request_timeout": "50ms"],
            mentions: ["storage.s3.request_timeout", "from 100ms to 10m"])
        expectConfigurationError(
            flags: ["storage.s3.endpoint": "http://h:1", "storage.s3.bucket": "bkt", "storage.s3.max_attempts": "0"],
            mentions: ["storage.s3.max_attempts = \"0\"", "1 to 20"])
        expectConfigurationError(flags: ["storage.segment_cache_size": "-1"], mentions: ["storage.segment_cache_size"])
    }

    @Test func durationSyntaxParsesAndFormats() {
        #expect(DurationSyntax.parse("250ms") == .milliseconds(250))
        #expect(DurationSyntax.parse("1.5s") == .milliseconds(1500))
        #expect(DurationSyntax.parse("0.000000001s") == .nanoseconds(1))
        #expect(DurationSyntax.parse("7d") == .seconds(604_800))
        #expect(DurationSyntax.parse("3m") == .seconds(180))
        #expect(DurationSyntax.parse("2h") == .seconds(7200))
        #expect(DurationSyntax.parse("40us") == .microseconds(40))
        #expect(DurationSyntax.parse("0s") == .zero)
        #expect(DurationSyntax.parse("9999999999999d") == nil)
        #expect(DurationSyntax.parse("1.0000000001s") == nil)
        #expect(DurationSyntax.parse("1ns") == nil)
        #expect(DurationSyntax.format(.seconds(604_800)) == "7d")
        #expect(DurationSyntax.format(.milliseconds(1500)) == "1500ms")
        #expect(DurationSyntax.format(.seconds(600)) == "10m")
        #expect(DurationSyntax.format(.zero) == "0s")
        #expect(DurationSyntax.format(.nanoseconds(7)) == "7ns")
    }
}
