import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import ScribeServer

/// A temporary file that a `LogOutput` writes to and a test reads back as JSON lines.
final class LogCapture {
    let path: String
    let output: LogOutput
    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("log")
        path = directory.file("lines.json")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(descriptor >= 0)
        output = LogOutput(fileDescriptor: descriptor)
    }

    deinit {
        close(output.fileDescriptor)
    }

    /// Every line written so far, each parsed as a JSON object.
    func objects() throws -> [JSONObjectReader] {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return try bytes.split(separator: 0x0a).map { try JSONObjectReader(JSONParser.parse(Array($0)), path: "") }
    }
}

@Suite struct ObservabilityLoggingTests {
    struct DiskFull: Error {}

    @Test func jsonLogLinesCarryTheFixedFieldsAndFlattenedMetadata() throws {
        let capture = try LogCapture()
        var logger = Logger(label: "scribe.test") { JSONLogHandler(label: $0, level: .debug, output: capture.output) }
        logger[metadataKey: "node"] = "n1"
        logger.info(
            "flushed \"memtable\"\n",
            metadata: ["segment": .stringConvertible(42), "timing": ["ms": "3", "phase": "write"], "tags": ["a", "b"]])
        logger.debug("second line")
        logger.trace("filtered out")

        let lines = try capture.objects()
        try #require(lines.count == 2)
        let first = lines[0]
        #expect(first.members.map(\.key).prefix(5) == ["time", "level", "label", "message", "source"])
        #expect(try first.string("level") == "info")
        #expect(try first.string("label") == "scribe.test")
        #expect(try first.string("message") == "flushed \"memtable\"\n")
        #expect(try first.string("source") == "ScribeServerTests")
        #expect(try first.string("node") == "n1")
        #expect(try first.string("segment") == "42")
        #expect(try first.string("timing.ms") == "3")
        #expect(try first.string("timing.phase") == "write")
        #expect(try first.array("tags") == [.string("a"), .string("b")])
        let time = try first.string("time")
        #expect(time.count == 24 && time.hasSuffix("Z") && Array(time)[10] == "T" && Array(time)[19] == ".")
        #expect(try lines[1].string("level") == "debug")
    }

    @Test func jsonLogLinesCarryTheErrorAndKeepFixedFieldsFromMetadata() throws {
        let capture = try LogCapture()
        let logger = Logger(label: "scribe.test") { JSONLogHandler(label: $0, output: capture.output) }
        logger.error("write failed", error: DiskFull(), metadata: ["level": "spoofed", "message": "spoofed"])

        let line = try #require(try capture.objects().first)
        #expect(try line.string("level") == "error")
        #expect(try line.string("message") == "write failed")
        #expect(try line.string("metadata.level") == "spoofed")
        #expect(try line.string("metadata.message") == "spoofed")
        #expect(try line.string("error.message") == "DiskFull()")
        #expect(try line.string("error.type").hasSuffix("DiskFull"))
    }

    @Test func timestampsAreRFC3339InUTCWithMilliseconds() {
        #expect(LogTimestamp.format(millisecondsSinceEpoch: 0) == "1970-01-01T00:00:00.000Z")
        #expect(LogTimestamp.format(millisecondsSinceEpoch: 1_700_000_000_123) == "2023-11-14T22:13:20.123Z")
        #expect(LogTimestamp.format(millisecondsSinceEpoch: 951_782_400_007) == "2000-02-29T00:00:00.007Z")
        #expect(LogTimestamp.format(millisecondsSinceEpoch: -1) == "1969-12-31T23:59:59.999Z")
    }

    static func makeApp(_ capture: LogCapture, level: Logger.Level) -> some ApplicationProtocol {
        let router = Router(context: ScribeRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.get("/kv/{key}") { _, _ in "value" }
        router.get("/fail") { _, _ -> String in throw DiskFull() }
        router.get("/busy") { _, _ -> String in throw APIError.unavailable("not ready") }
        let logger = Logger(label: "scribe.http") { JSONLogHandler(label: $0, level: level, output: capture.output) }
        return Application(router: router, logger: logger)
    }

    @Test func requestLogWritesOneDebugLinePerRequest() async throws {
        let capture = try LogCapture()
        try await Self.makeApp(capture, level: .debug).test(.router) { client in
            try await client.execute(uri: "/kv/some-key", method: .get) { #expect($0.status == .ok) }
        }
        let requests = try capture.objects().filter { (try? $0.string("message")) == "request" }
        try #require(requests.count == 1)
        let line = requests[0]
        #expect(try line.string("level") == "debug")
        #expect(try line.string("method") == "GET")
        #expect(try line.string("path") == "/kv/some-key")
        #expect(try line.string("route") == "/kv/{key}")
        #expect(try line.string("status") == "200")
        #expect(try line.string("client") == "unknown")
        let milliseconds = try line.string("duration_ms")
        #expect(milliseconds.split(separator: ".").map(\.count).last == 3)
    }

    @Test func requestLogAtInfoWritesOnlyServerErrors() async throws {
        let capture = try LogCapture()
        try await Self.makeApp(capture, level: .info).test(.router) { client in
            try await client.execute(uri: "/kv/k", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/fail", method: .get) { #expect($0.status == .internalServerError) }
            try await client.execute(uri: "/busy", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
        let requests = try capture.objects().filter { (try? $0.string("message")) == "request" }
        try #require(requests.count == 2)
        #expect(try requests.map { try $0.string("level") } == ["error", "error"])
        #expect(try requests.map { try $0.string("status") } == ["500", "503"])
        #expect(try requests[0].string("error.message") == "DiskFull()")
    }

    @Test func formatsMillisecondsWithThreeDecimals() {
        #expect(RequestLogMiddleware.milliseconds(.microseconds(12_345)) == "12.345")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(7)) == "0.007")
        #expect(RequestLogMiddleware.milliseconds(.seconds(2)) == "2000.000")
    }
}
