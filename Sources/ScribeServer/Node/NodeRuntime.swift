import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import LSMEngine
public import Logging
import ScribeDistributed
import NIOCore
public import NIOSSL

/// Everything `NodeRuntime.run` needs, resolved from the configuration.
public struct NodeRuntimeSettings: Sendable {
    public var nodeID: String
    public var dataDirectory: String
    public var storeOptions: StoreOptions
    public var host: String
    /// 0 picks a free port; the bound address is printed and logged either way.
    public var port: Int
    public var api: APISettings
    /// Serve HTTPS with this configuration; nil serves plain HTTP.
    public var tls: TLSConfiguration?
    /// Ship the store to this object store; nil keeps everything on local disk.
    public var tier: DurableTierPlan?

    public init(
        nodeID: String, dataDirectory: String, storeOptions: StoreOptions, host: String, port: Int, api: APISettings,
        tls: TLSConfiguration?, tier: DurableTierPlan? = nil
    ) {
        self.nodeID = nodeID
        self.dataDirectory = dataDirectory
        self.storeOptions = storeOptions
        self.host = host
        self.port = port
        self.api = api
        self.tls = tls
        self.tier = tier
    }
}

/// Runs one node: opens the store (with an object store: opens it, then the durable
/// tier, which rebuilds an empty data directory from it), serves the API until SIGTERM
/// or SIGINT, then stops accepting, finishes in-flight requests, flushes the memtable,
/// drains the tier and closes the store (then the object store), and logs a summary of
/// the requests served at info (each request is logged at debug). The node's blocking
/// work runs on one `NodeExecutor`, shared by the service and the tier.
public enum NodeRuntime {
    /// A connection that sends nothing for this long (between requests, or stalled in
    /// the middle of one) is closed, so no client can hold a request open forever.
    public static let idleTimeoutSeconds = 60

    /// Prints `listening on HOST:PORT` (stdout, flushed) once the server accepts connections.
    public static func run(
        _ settings: NodeRuntimeSettings, logger: Logger, metrics: RequestMetrics, guards: NodeGuards
    ) async throws {
        var storeOptions = settings.storeOptions
        storeOptions.createIfMissing = true
        let objectStore = try settings.tier.map { try ObjectStoreFactory.open($0.objectStore, logger: logger) }
        let executor = NodeExecutor()
        let service: LocalKVService
        do {
            service = try await openServiceWaitingForLock(
                settings, storeOptions: storeOptions, objectStore: objectStore, executor: executor, logger: logger)
        } catch {
            logger.error(
                "cannot open the store",
                metadata: ["dataDir": .string(settings.dataDirectory), "error": .string("\(error)")])
            try? await objectStore?.shutdown()
            throw error
        }
        logRecovery(service.recovery, logger: logger)
        do {
            try await serve(service, settings, logger: logger, metrics: metrics, guards: guards)
        } catch {
            try? await objectStore?.shutdown()
            throw error
        }
        try await objectStore?.shutdown()
    }

    /// How long a starting node waits for its data directory's lock. A node that just
    /// crashed holds it until its process has exited, which takes a few seconds while
    /// the crash report is written; a supervisor that restarts the node at once must
    /// not fail on that. Another live node on the same directory still fails the start
    /// (`locked`) once the wait is over.
    public static let storeLockWait: Duration = .seconds(30)

    /// `openService`, retried every 100 ms while another process holds the data
    /// directory's lock, for up to `storeLockWait`; logs once that it waits.
    private static func openServiceWaitingForLock(
        _ settings: NodeRuntimeSettings, storeOptions: StoreOptions, objectStore: OpenedObjectStore?,
        executor: NodeExecutor, logger: Logger
    ) async throws -> LocalKVService {
        let clock = ContinuousClock()
        let deadline = clock.now + storeLockWait
        var waiting = false
        while true {
            do {
                return try await openService(
                    settings, storeOptions: storeOptions, objectStore: objectStore, executor: executor, logger: logger)
            } catch LSMError.locked(let path) where clock.now < deadline {
                if !waiting {
                    waiting = true
                    logger.warning(
                        """
                        the data directory is locked by another process (a node that crashed and is still writing \
                        its crash report, or another live node); waiting for it
                        """,
                        metadata: ["lock": .string(path), "waitSeconds": .stringConvertible(storeLockWait.components.seconds)])
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// One line per recovery finding: a warning when damage was dropped or files moved to
    /// `lost/`, a notice for torn tails alone (the normal remains of a crash).
    private static func logRecovery(_ report: RecoveryReport, logger: Logger) {
        for finding in report.findings {
            logger.log(level: report.foundDamage ? .warning : .notice, "recovery", metadata: ["finding": .string(finding)])
        }
    }

    /// The store alone, or the durable tier over `objectStore` (logging what it restored).
    private static func openService(
        _ settings: NodeRuntimeSettings, storeOptions: StoreOptions, objectStore: OpenedObjectStore?,
        executor: NodeExecutor, logger: Logger
    ) async throws -> LocalKVService {
        guard let plan = settings.tier, let objectStore else {
            return try LocalKVService(
                directory: settings.dataDirectory, options: storeOptions, nodeID: settings.nodeID, executor: executor)
        }
        let location = objectStore.store.location
        var tierSettings = plan.settings(
            store: objectStore.store, dataDirectory: settings.dataDirectory, storeOptions: storeOptions,
            nodeID: settings.nodeID)
        tierSettings.executor = executor
        let tier: DurableTier
        do {
            tier = try await DurableTier.open(tierSettings, logger: logger)
        } catch {
            logger.error("cannot open the durable tier", metadata: ["objectStore": .string(location), "error": "\(error)"])
            throw error
        }
        let report = tier.recovery
        logger.info(
            "durable tier open",
            metadata: [
                "objectStore": .string(location), "credentials": .string(objectStore.credentialsSource),
                "rebuilt": .stringConvertible(report.rebuilt), "manifestVersion": .stringConvertible(report.manifestVersion),
                "segments": .stringConvertible(report.segments), "walObjects": .stringConvertible(report.walObjects),
                "walBatchesReplayed": .stringConvertible(report.walBatchesReplayed),
                "lastSequence": .stringConvertible(report.lastSequence),
            ])
        return LocalKVService(tier: tier, objectStoreLocation: location, nodeID: settings.nodeID)
    }

    /// Serves the API over `service` until the service group stops.
    private static func serve(
        _ service: LocalKVService, _ settings: NodeRuntimeSettings, logger: Logger, metrics: RequestMetrics,
        guards: NodeGuards
    ) async throws {
        let address = BoundAddress()
        let router = ServerRouter.make(
            service: service, settings: settings.api, metrics: metrics, addGuards: guards.add,
            advertisedAddress: { address.value })
        let headLimit = settings.api.maxRequestHeadSize
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(
                additionalChannelHandlers: [UnreadableRequestHandler(headLimit: headLimit, logger: logger)],
                idleTimeout: .seconds(Int64(idleTimeoutSeconds)),
                httpDecoderConfiguration: .init(maxHeaderFieldSize: headLimit, maxHeaderListSize: headLimit)))
        let server: HTTPServerBuilder = try settings.tls.map { try .tls(http1, tlsConfiguration: $0) } ?? http1
        var app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "scribe-node"),
            onServerRunning: { channel in
                ListeningSockets.setCloseOnExec()
                let bound = "\(settings.host):\(channel.localAddress?.port ?? settings.port)"
                address.value = bound
                logger.info("listening", metadata: ["address": .string(bound), "tls": .stringConvertible(settings.tls != nil)])
                print("listening on \(bound)")
                fflush(nil)
            },
            logger: logger)
        // Stopped in reverse: the server, then the store service (flush), then the
        // tier (drain, close the store), then the guards (the audit log).
        app.addServices(guards.services)
        if let tier = service.tier { app.addServices(tier) }
        app.addServices(StoreLifecycleService(service: service))
        try await app.runService()
        let counts = metrics.operationCounts().filter { $0.count > 0 }
        logger.info(
            "stopped", metadata: ["requests": .string(counts.map { "\($0.operation.rawValue)=\($0.count)" }.joined(separator: " "))])
    }
}
