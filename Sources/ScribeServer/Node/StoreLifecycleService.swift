import ServiceLifecycle

/// Keeps the store open for the life of the node and, on graceful shutdown (SIGTERM,
/// SIGINT), flushes it and, without a durable tier, closes it. The application stops
/// its HTTP server first (it is the last service of the group), so in-flight requests
/// finish before the flush; a tier, listed before this service, is stopped after it
/// and closes the store once its WAL backlog is drained.
struct StoreLifecycleService: Service {
    let service: LocalKVService

    func run() async throws {
        try? await gracefulShutdown()
        try await service.shutdown()
    }
}
