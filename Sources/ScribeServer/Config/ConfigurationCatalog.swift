/// Every key scribe-node understands, in documentation order. Adding a key here
/// makes it readable from the file, the environment and `--set`, listed in
/// `--help`, and required in `docs/configuration.md` (a test checks).
enum ConfigurationCatalog {
    static let keys: [ConfigurationKey] = [
        ConfigurationKey(
            name: "node.id", kind: .string, defaultValue: "node-1",
            help: "Name of this node: 1 to 64 letters, digits, '.', '_' or '-'."),
        ConfigurationKey(
            name: "node.data_dir", kind: .string, defaultValue: "./data",
            help: "Directory holding the store, the default segment cache and the audit log; created when missing."),
        ConfigurationKey(
            name: "network.listen_address", kind: .string, defaultValue: "127.0.0.1",
            help: "IP address (or localhost) the HTTP listener binds to. A non-loopback address needs API keys "
                + "or security.insecure = true."),
        ConfigurationKey(
            name: "network.client_port", kind: .integer(0...65535), defaultValue: "8080",
            help: "TCP port of the HTTP API; 0 picks a free port."),
        ConfigurationKey(
            name: "storage.durability", kind: .choice(Durability.acceptedNames), defaultValue: "local",
            help: "Default acknowledgment of writes: local (after fdatasync of the WAL; synced is an alias), "
                + "buffered (in the OS page cache: survives a process crash, not a power loss) or replicated "
                + "(after fdatasync and once the WAL batch is in the object store; needs an object store)."),
        ConfigurationKey(
            name: "storage.max_value_size", kind: .integer(1...268_435_456), defaultValue: "67108864",
            help: "Largest value accepted, in bytes; larger writes get 413."),
        ConfigurationKey(
            name: "storage.max_key_size", kind: .integer(1...65536), defaultValue: "65536",
            help: "Longest key accepted, in bytes."),
        ConfigurationKey(
            name: "storage.memtable_size", kind: .integer(4096...17_179_869_184), defaultValue: "67108864",
            help: "Bytes of writes buffered in memory before a flush to a segment."),
        ConfigurationKey(
            name: "storage.block_cache_size", kind: .integer(0...1_099_511_627_776), defaultValue: "33554432",
            help: "Bytes of decompressed segment blocks cached in memory; 0 disables the cache."),
        ConfigurationKey(
            name: "storage.compression", kind: .choice(["lz4", "none"]), defaultValue: "lz4",
            help: "Compression of new segment blocks."),
        ConfigurationKey(
            name: "storage.history_policy", kind: .choice(["retain_all", "latest_only"]), defaultValue: "retain_all",
            help: "What compaction keeps: retain_all keeps every version (the ledger); latest_only drops "
                + "shadowed versions."),
        ConfigurationKey(
            name: "storage.recovery_mode", kind: .choice(["strict", "skip_corruption"]), defaultValue: "strict",
            help: "What opening the store does with damage to acknowledged data (a complete WAL or MANIFEST "
                + "record that fails its checksum, a segment holding writes the manifest lost): strict refuses to "
                + "start; skip_corruption drops it, keeps a copy in <data_dir>/lost/ and logs exactly what."),
        ConfigurationKey(
            name: "storage.object_store_dir", kind: .string, defaultValue: "",
            help: "A local directory used as the object store (segments, WAL objects, published manifests); "
                + "enables the durable tier without S3. Cannot be combined with [storage.s3]."),
        ConfigurationKey(
            name: "storage.segment_cache_dir", kind: .string, defaultValue: "",
            help: "Directory of whole segments fetched from the object store; empty means "
                + "<data_dir>/segment-cache."),
        ConfigurationKey(
            name: "storage.segment_cache_size", kind: .integer(0...17_592_186_044_416), defaultValue: "1073741824",
            help: "Bytes of fetched segments kept in segment_cache_dir (least recently used leave first)."),
        ConfigurationKey(
            name: "storage.segment_retention", kind: .duration(.zero ... .seconds(3650 * 86_400)), defaultValue: "7d",
            help: "How long a segment that left the manifest stays in the object store, so proofs against "
                + "older manifest digests keep verifying."),
        ConfigurationKey(
            name: "storage.replication_timeout", kind: .duration(.milliseconds(1) ... .seconds(3600)),
            defaultValue: "10s",
            help: "How long a replicated write waits for its WAL batch to reach the object store before it "
                + "is answered 503 (it stays durable on this node)."),
        ConfigurationKey(
            name: "storage.wal_group_interval", kind: .duration(.zero ... .seconds(1)), defaultValue: "2ms",
            help: "WAL batches committed within this interval of each other share one WAL object."),
        ConfigurationKey(
            name: "storage.s3.endpoint", kind: .string, defaultValue: "",
            help: "http(s) URL of an S3-compatible object store. Setting any storage.s3 key enables S3, "
                + "which then needs endpoint and bucket."),
        ConfigurationKey(
            name: "storage.s3.bucket", kind: .string, defaultValue: "",
            help: "Bucket name: 3 to 63 lowercase letters, digits, '.' or '-'."),
        ConfigurationKey(
            name: "storage.s3.region", kind: .string, defaultValue: "us-east-1",
            help: "Region used to sign requests; when no layer sets it, AWS_REGION or AWS_DEFAULT_REGION."),
        ConfigurationKey(
            name: "storage.s3.access_key_id", kind: .string, defaultValue: "",
            help: "Access key id; set together with secret_access_key, or neither. When no layer sets "
                + "either, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are used."),
        ConfigurationKey(
            name: "storage.s3.secret_access_key", kind: .string, defaultValue: "",
            help: "Secret access key; prefer an environment variable (SCRIBE_STORAGE_S3_SECRET_ACCESS_KEY or "
                + "AWS_SECRET_ACCESS_KEY) to the file."),
        ConfigurationKey(
            name: "storage.s3.session_token", kind: .string, defaultValue: "",
            help: "Session token of temporary credentials; needs access_key_id and secret_access_key. When no "
                + "layer sets it, AWS_SESSION_TOKEN."),
        ConfigurationKey(
            name: "storage.s3.path_style", kind: .boolean, defaultValue: "false",
            help: "Address buckets as endpoint/bucket (needed by MinIO) instead of bucket.endpoint."),
        ConfigurationKey(
            name: "storage.s3.prefix", kind: .string, defaultValue: "",
            help: "Prefix of every object name this node writes."),
        ConfigurationKey(
            name: "storage.s3.request_timeout", kind: .duration(.milliseconds(100) ... .seconds(600)),
            defaultValue: "30s",
            help: "Longest wait for one S3 request (each attempt)."),
        ConfigurationKey(
            name: "storage.s3.max_attempts", kind: .integer(1...20), defaultValue: "5",
            help: "Attempts per S3 request, the first included; retries back off exponentially with jitter."),
        ConfigurationKey(
            name: "security.insecure", kind: .boolean, defaultValue: "false",
            help: "Allow listening on a non-loopback address with no API keys (anyone can read and write)."),
        ConfigurationKey(
            name: "security.api_keys", kind: .apiKeys, defaultValue: "",
            help: "API keys: each has a unique name, the SHA-256 of the secret key as 64 lowercase hex digits "
                + "and a role (read, read-write, admin). With none, requests need no key."),
        ConfigurationKey(
            name: "security.audit_log", kind: .string, defaultValue: "",
            help: "File the audit log of writes and admin actions is appended to; empty means <data_dir>/audit.log."),
        ConfigurationKey(
            name: "security.tls.enabled", kind: .boolean, defaultValue: "false",
            help: "Serve HTTPS instead of HTTP."),
        ConfigurationKey(
            name: "security.tls.cert_path", kind: .string, defaultValue: "",
            help: "PEM certificate chain; required and readable when TLS is enabled."),
        ConfigurationKey(
            name: "security.tls.key_path", kind: .string, defaultValue: "",
            help: "PEM private key; required and readable when TLS is enabled."),
        ConfigurationKey(
            name: "security.rate_limit.enabled", kind: .boolean, defaultValue: "false",
            help: "Limit each client (API key, or address when there are no keys) with a token bucket; "
                + "excess requests get 429."),
        ConfigurationKey(
            name: "security.rate_limit.requests_per_second", kind: .positiveDouble, defaultValue: "100",
            help: "Sustained requests per second allowed per client."),
        ConfigurationKey(
            name: "security.rate_limit.burst", kind: .integer(1...1_000_000), defaultValue: "200",
            help: "Requests a client may make at once above the sustained rate."),
        ConfigurationKey(
            name: "logging.level", kind: .choice(LogLevel.allCases.map(\.rawValue)), defaultValue: "info",
            help: "Least severe level logged."),
        ConfigurationKey(
            name: "logging.format", kind: .choice(LogFormat.allCases.map(\.rawValue)), defaultValue: "text",
            help: "text for people, json for one JSON object per line."),
    ]

    /// Tables that may appear in a file. `cluster` is accepted empty; its keys
    /// arrive with clustering.
    static let tables: Set<String> = {
        var tables: Set<String> = ["cluster"]
        for key in keys {
            var parts = key.name.split(separator: ".").dropLast()
            while !parts.isEmpty {
                tables.insert(parts.joined(separator: "."))
                parts = parts.dropLast()
            }
        }
        return tables
    }()

    private static let byName: [String: ConfigurationKey] = Dictionary(
        keys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    private static let byEnvironmentVariable: [String: ConfigurationKey] = Dictionary(
        keys.map { ($0.environmentVariable, $0) }, uniquingKeysWith: { first, _ in first })

    /// The key with this dotted name.
    static func key(named name: String) -> ConfigurationKey? {
        byName[name]
    }

    /// The key this `SCRIBE_*` variable sets.
    static func key(environmentVariable name: String) -> ConfigurationKey? {
        byEnvironmentVariable[name]
    }

    /// The keys of one table, for "known keys are …" hints.
    static func keyNames(inTable table: String) -> [String] {
        keys.filter { $0.table == table }.map { String($0.name.dropFirst(table.count + 1)) }
    }
}
