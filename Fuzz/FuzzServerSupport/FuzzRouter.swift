import Dispatch
import Foundation
import FuzzSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Prometheus
import ScribeServer
import ScribeVerifier
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer target: the input is one HTTP request, answered in-process by the node's
/// real router (`ServerRouter.make` with the node's guards and metrics, over a
/// `LocalKVService` on a real store in the scratch directory, configured as
/// `scribe-node` configures it from its defaults with small limits), through
/// `respond(to:context:)` as Hummingbird's server calls it.
///
/// Input: a first byte below 0x10 picks the method (`methods[byte % 7]`: GET, PUT,
/// POST, DELETE, HEAD, PATCH, OPTIONS) and is consumed; any other first byte starts a
/// GET. The rest is lines split at `\n` (a `\r` before it dropped): the request target
/// (path and query, without the bytes an HTTP/1.1 request line cannot carry: controls,
/// space, DEL; a `/` is put before it when it does not start with one), then header
/// lines `Name: value` up to a blank line (lines that are not a valid header are
/// skipped), then the body, everything after the blank line.
///
/// Invariants: no trap, and no error but an HTTP response error escapes the router;
/// every status is 100...599; no 5xx but 503; every 4xx and 503 is `application/json`
/// of exactly `{"error":{"code":"…","message":"…"}}` with a non-empty code; every
/// other `application/json` body parses. The store persists across inputs (a crash
/// may need the inputs before it; the listing's `limit` trap did not). Mutations:
/// `FuzzRouterMutator.swift`.
public enum FuzzRouter {
    static let methods: [HTTPRequest.Method] = [.get, .put, .post, .delete, .head, .patch, .options]

    /// Sets up the node (once per process); aborts when it cannot be.
    public static func prepare() {
        if case .failure(let error) = RouterNode.shared { FuzzSupport.check(false, "the node cannot be set up: \(error)") }
    }

    /// Answers `bytes` and aborts (a crash for libFuzzer) when the answer breaks an invariant.
    public static func run(_ bytes: [UInt8]) {
        guard let request = request(bytes) else { return }
        let problems = RouterWorker.shared.answer(request)
        FuzzSupport.check(problems.isEmpty, problems.joined(separator: "; "))
    }

    /// What is wrong with the router's answer to `bytes`; empty when it keeps every
    /// invariant or `bytes` is not a request.
    public static func findings(_ bytes: [UInt8]) async -> [String] {
        guard let request = request(bytes) else { return [] }
        return await answer(request)
    }

    /// The request `bytes` encode (see the type's documentation); nil for no bytes.
    public static func request(_ bytes: [UInt8]) -> Request? {
        guard let first = bytes.first else { return nil }
        let method = first < 0x10 ? methods[Int(first) % methods.count] : .get
        var lines = first < 0x10 ? bytes.dropFirst() : bytes[...]
        func nextLine() -> ArraySlice<UInt8>? {
            guard !lines.isEmpty else { return nil }
            let end = lines.firstIndex(of: UInt8(ascii: "\n")) ?? lines.endIndex
            var line = lines[lines.startIndex..<end]
            lines = end < lines.endIndex ? lines[(end + 1)...] : lines[lines.endIndex...]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            return line
        }
        let target = (nextLine() ?? []).filter { $0 > 0x20 && $0 != 0x7F }
        var fields = HTTPFields()
        while let line = nextLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                  let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self))
            else { continue }
            let value = line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            fields.append(HTTPField(name: name, value: String(decoding: value, as: UTF8.self)))
        }
        let text = String(decoding: target, as: UTF8.self)
        let path = text.hasPrefix("/") ? text : "/" + text
        let head = HTTPRequest(
            method: method, scheme: "http", authority: "127.0.0.1:8080", path: path, headerFields: fields)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: lines)))
    }

    /// The problems of the router's answer to `request`.
    static func answer(_ request: Request) async -> [String] {
        let node: RouterNode
        switch RouterNode.shared {
        case .success(let opened): node = opened
        case .failure(let error): return ["the node cannot be set up: \(error)"]
        }
        let context = ScribeRequestContext(source: .init(channel: node.channel, logger: node.logger))
        let response: Response
        do {
            response = try await node.responder.respond(to: request, context: context)
        } catch {
            return ["\(request.method) \(request.uri): the router threw \(String(reflecting: error))"]
        }
        let body = BodyCollector()
        do {
            try await response.body.write(body)
        } catch {
            return ["\(request.method) \(request.uri): writing the body threw \(error)"]
        }
        return problems(status: response.status.code, headers: response.headers, body: body.bytes.withLock { $0 })
            .map { "\(request.method) \(request.uri): \($0)" }
    }

    /// What is wrong with one answer (see the type's invariants); empty when nothing is.
    public static func problems(status: Int, headers: HTTPFields, body: [UInt8]) -> [String] {
        guard (100...599).contains(status) else { return ["status \(status) is not an HTTP status"] }
        var problems: [String] = []
        if status >= 500 && status != 503 {
            problems.append("status \(status): no server error but 503 may answer a request")
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        if status >= 400 {
            if headers[.contentType] != "application/json" {
                problems.append("status \(status) with Content-Type \(headers[.contentType] ?? "none"), not application/json")
            }
            if !isAPIError(body) { problems.append("status \(status) without the API's JSON error: \(text)") }
        } else if headers[.contentType] == "application/json", (try? JSONParser.parse(body)) == nil {
            problems.append("status \(status): an application/json body that does not parse: \(text)")
        }
        return problems
    }

    /// Whether `body` is exactly `{"error":{"code":"…","message":"…"}}` with a non-empty code.
    static func isAPIError(_ body: [UInt8]) -> Bool {
        guard case .object(let top)? = try? JSONParser.parse(body), top.count == 1, top[0].key == "error",
              case .object(let error) = top[0].value, error.count == 2,
              case .string(let code)? = error.first(where: { $0.key == "code" })?.value, !code.isEmpty,
              case .string? = error.first(where: { $0.key == "message" })?.value
        else { return false }
        return true
    }

    /// One request per route family of docs/api.md, in this target's encoding.
    public static func seeds() -> [[UInt8]] {
        func seed(_ method: HTTPRequest.Method, _ text: String) -> [UInt8] {
            [UInt8(methods.firstIndex(of: method) ?? 0)] + Array(text.utf8)
        }
        return [
            seed(.put, "/kv/greeting\nX-Scribe-Durability: buffered\n\nhello"),
            seed(.get, "/kv/greeting?version=1\n\n"),
            seed(.delete, "/kv/greeting\n\n"),
            seed(.get, "/kv/greeting/versions\n\n"),
            seed(.get, "/kv?prefix=gr&start=a&end=z&limit=2&cursor=6772\n\n"),
            seed(.post, "/batch\nContent-Type: application/json\n\n"
                + #"{"operations":[{"op":"put","key":"6b","value":"dg==","encoding":"base64"},{"op":"delete","key":"k"}],"encoding":"hex"}"#),
            seed(.put, "/put\n\n" + #"{"key":"a%2Fb","value":"v","encoding":"utf8"}"#),
            seed(.put, "/seed-key\nContent-Length: 1\n\nv"),
            seed(.get, "/get/seed-key\n\n"),
            seed(.get, "/verify/seed-key\n\n"),
            seed(.post, "/admin/flush\n\n"),
            seed(.get, "/metrics\n\n"),
            seed(.get, "/metrics/prometheus\n\n"),
            seed(.get, "/cluster/info\n\n"),
            seed(.get, "/health\nAuthorization: Bearer x\n\n"),
            seed(.patch, "/kv/greeting\n\n"),
        ]
    }
}

/// The node the harness answers with, set up once per process.
final class RouterNode: Sendable {
    let responder: RouterResponder<ScribeRequestContext>
    let channel: NIOAsyncTestingChannel
    let logger: Logger

    static let shared: Result<RouterNode, any Error> = Result { try RouterNode() }

    /// Listing pages of at most this many entries (the node's 1000 would make every
    /// `GET /kv` of a store grown by the fuzzer cost more than all else together).
    static let maxListLimit = 16

    /// `scribe-node`'s own setup (`NodeRuntime`): its configuration from the defaults
    /// (with a data directory in the scratch directory and limits small enough for
    /// fuzzed inputs to reach), its store options, API settings (listing pages of at
    /// most `maxListLimit`) and guards.
    private init() throws {
        let directory = "\(FuzzSupport.scratch)/router"
        FuzzSupport.removeDirectory(directory)
        let configuration = try ConfigurationLoader.load(
            configFile: nil, environment: [:],
            flags: [
                "node.data_dir": directory, "node.id": "fuzz-node", "storage.max_value_size": "1024",
                "storage.max_key_size": "256", "storage.memtable_size": "65536", "storage.block_cache_size": "1048576",
            ])
        var settings = try NodeRuntimeSettings(configuration)
        settings.api.maxListLimit = RouterNode.maxListLimit
        let guards = try NodeGuards(configuration)
        var options = settings.storeOptions
        options.createIfMissing = true
        let service = try LocalKVService(directory: directory, options: options, nodeID: settings.nodeID)
        atexit { FuzzSupport.removeDirectory("\(FuzzSupport.scratch)/router") }
        responder = ServerRouter.make(
            service: service, settings: settings.api, metrics: RequestMetrics(registry: PrometheusCollectorRegistry()),
            addGuards: guards.add, advertisedAddress: { "127.0.0.1:8080" }
        ).buildResponder()
        channel = NIOAsyncTestingChannel()
        channel.remoteAddress = try? SocketAddress(ipAddress: "127.0.0.1", port: 40000)
        logger = Logger(label: "fuzz-router", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}

/// Answers requests for the synchronous libFuzzer entry, one at a time, on one
/// long-lived task whose jobs run on a thread of the harness's own (`HarnessExecutor`).
/// libFuzzer runs a full leak check (a heap scan, ~20 ms here) after every input that
/// mallocs more than it frees: a task per input is freed only after the input returns,
/// and resuming a task on the global executor from libFuzzer's thread allocates
/// dispatch continuations that are then cached on dispatch's threads, never freed.
private final class RouterWorker: Sendable {
    static let shared = RouterWorker()

    private let requests: AsyncStream<Request>.Continuation
    private let answered = DispatchSemaphore(value: 0)
    private let problems = Mutex<[String]>([])

    private init() {
        let (stream, continuation) = AsyncStream<Request>.makeStream()
        requests = continuation
        Task(executorPreference: HarnessExecutor()) { [self] in
            var iterator = stream.makeAsyncIterator()
            while let found = await Self.answerNext(&iterator) {
                problems.withLock { $0 = found }
                answered.signal()
            }
        }
    }

    /// The problems of the router's answer to `request`, once the worker has answered it.
    func answer(_ request: Request) -> [String] {
        requests.yield(request)
        answered.wait()
        return problems.withLock { $0 }
    }

    /// Answers the next request (nil when the stream ends), in a frame of its own so that
    /// the request is released before the caller is woken.
    private static func answerNext(_ iterator: inout AsyncStream<Request>.Iterator) async -> [String]? {
        guard let request = await iterator.next() else { return nil }
        return await FuzzRouter.answer(request)
    }
}

/// A task executor that runs jobs in order on one thread of its own, queued in an array
/// that keeps its capacity, so enqueueing a job allocates nothing.
private final class HarnessExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>({
        var jobs: [UnownedJob] = []
        jobs.reserveCapacity(64)
        return jobs
    }())
    private let available = DispatchSemaphore(value: 0)

    init() {
        Thread { [self] in runJobs() }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        available.signal()
    }

    private func runJobs() {
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Collects a response body as the server would write it.
private final class BodyCollector: ResponseBodyWriter, Sendable {
    let bytes = Mutex<[UInt8]>([])

    func write(_ buffer: ByteBuffer) async throws {
        bytes.withLock { $0 += buffer.readableBytesView }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
