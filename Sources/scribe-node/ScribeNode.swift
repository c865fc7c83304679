import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ScribeServer

/// `scribe-node`: one Scribe Ledger node. Configuration comes from built-in defaults,
/// a TOML file (`--config`), `SCRIBE_*` environment variables and these flags, each
/// overriding the one before (docs/configuration.md).
@main
struct ScribeNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scribe-node",
        abstract: "Run a Scribe Ledger node: the HTTP API over the embedded engine (docs/api.md).",
        discussion: """
            Settings, lowest precedence first: built-in defaults, the TOML file (--config, or \
            SCRIBE_CONFIG), SCRIBE_* environment variables (SCRIBE_ + the key upper-cased with dots \
            as underscores, e.g. SCRIBE_NETWORK_CLIENT_PORT), then flags. Any key can be set with \
            --set KEY=VALUE. Keys (default in brackets):

            \(ConfigurationLoader.allKeys.map { "  \($0.key) [\($0.defaultValue)]: \($0.help)" }.joined(separator: "\n"))

            With storage.object_store_dir or [storage.s3] the store is shipped to the object store, \
            and a node started on an empty data directory rebuilds itself from it. The S3 \
            credentials and region fall back to AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
            AWS_SESSION_TOKEN and AWS_REGION (or AWS_DEFAULT_REGION) when no other layer sets them.

            Stops gracefully on SIGTERM or SIGINT: stops accepting, finishes in-flight requests, \
            flushes and closes the store (with an object store: tries once more to ship what is pending). \
            On a crash it closes its listening sockets before the crash report is written, so a node \
            restarted at once can bind the port (the data directory stays locked until the process is gone).
            """)

    @Option(help: "A TOML configuration file.") var config: String?
    @Option(name: .customLong("node-id"), help: "node.id") var nodeID: String?
    @Option(name: .customLong("data-dir"), help: "node.data_dir") var dataDir: String?
    @Option(name: .customLong("listen-address"), help: "network.listen_address") var listenAddress: String?
    @Option(help: "network.client_port (0 picks a free port)") var port: String?
    @Option(help: "storage.durability: local (alias synced), buffered or replicated") var durability: String?
    @Option(name: .customLong("log-level"), help: "logging.level") var logLevel: String?
    @Option(name: .customLong("log-format"), help: "logging.format: text or json") var logFormat: String?
    @Option(name: .customLong("tls-cert"), help: "security.tls.cert_path (enables TLS with --tls-key)") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "security.tls.key_path") var tlsKey: String?
    @Flag(help: "security.insecure: allow a non-loopback address without API keys") var insecure = false
    @Option(name: .customLong("set"), help: "KEY=VALUE for any configuration key (repeatable)") var settings: [String] = []

    func run() async throws {
        let node: NodeConfiguration
        do {
            node = try ConfigurationLoader.load(
                configFile: config, environment: ProcessInfo.processInfo.environment, flags: try flags())
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("scribe-node: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let settings: NodeRuntimeSettings
        let guards: NodeGuards
        do {
            settings = try NodeRuntimeSettings(node)
            guards = try NodeGuards(node)
        } catch {
            FileHandle.standardError.write(Data("scribe-node: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let logger = NodeLogging.bootstrap(node.logging)
        do {
            try ListeningSockets.releaseOnCrash()
        } catch {
            logger.warning("a crash will keep the port until the crash report is written", metadata: ["error": "\(error)"])
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        try await NodeRuntime.run(settings, logger: logger, metrics: RequestMetrics(registry: registry), guards: guards)
    }

    /// The flags given, as dotted configuration keys.
    private func flags() throws -> [String: String] {
        var flags: [String: String] = [:]
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes KEY=VALUE, got \(setting)")
            }
            flags[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
        }
        let named: [(String, String?)] = [
            ("node.id", nodeID), ("node.data_dir", dataDir), ("network.listen_address", listenAddress),
            ("network.client_port", port), ("storage.durability", durability), ("logging.level", logLevel),
            ("logging.format", logFormat), ("security.tls.cert_path", tlsCert), ("security.tls.key_path", tlsKey),
        ]
        for case let (key, value?) in named { flags[key] = value }
        if tlsCert != nil || tlsKey != nil { flags["security.tls.enabled"] = "true" }
        if insecure { flags["security.insecure"] = "true" }
        return flags
    }
}
