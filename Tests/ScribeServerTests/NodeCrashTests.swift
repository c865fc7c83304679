import Foundation
import ScribeTestSupport
import Testing

/// What a crash of the real binary leaves behind.
@Suite struct NodeCrashTests {
    /// True when this test bundle — and so the `scribe-node` built beside it — runs under
    /// AddressSanitizer or ThreadSanitizer (`make sanitize-address`, `make sanitize-thread`).
    /// (`dlsym(nil, …)`: `RTLD_DEFAULT` on glibc.)
    static let underSanitizer = dlsym(nil, "__asan_init") != nil || dlsym(nil, "__tsan_init") != nil

    /// A node sent a fatal signal gives up its port before its crash report is written, so a
    /// node started straight away (a supervisor's restart) binds it; the report still
    /// appears and the first node still dies of the signal.
    @Test(arguments: [SIGSEGV, SIGILL])
    func aCrashedNodeGivesUpItsPortAtOnce(signal: Int32) throws {
        let root = try TemporaryDirectory("node-crash")
        let first = try NodeProcess(["--port", "0", "--data-dir", root.file("first")], log: root.file("first.log"))
        #expect(kill(first.process.processIdentifier, signal) == 0)

        // Straight away, without waiting for the first to exit. Its data directory stays
        // locked until it has exited, so the second has its own.
        let second = Result {
            try NodeProcess(["--port", String(first.port), "--data-dir", root.file("second")], log: root.file("second.log"))
        }
        // Killing the first while its backtracer runs would leave the backtracer hanging, so
        // it is given time to end by itself; the deadline only guards against a hang (the
        // backtracer's own timeout is 30 s).
        if !first.exits(within: .seconds(90)) {
            first.kill()
            Issue.record("the crashed node did not exit")
        } else if Self.underSanitizer {
            // The sanitizer's own handler reports a signal it handles (SIGSEGV, under
            // either) and exits with its exit code.
            #expect(first.process.terminationStatus != 0)
        } else {
            #expect(first.process.terminationReason == .uncaughtSignal)
            #expect(first.process.terminationStatus == signal)
        }
        let restarted = try second.get()
        defer { if restarted.process.isRunning { restarted.kill() } }
        #expect(restarted.port == first.port)
        #expect(try restarted.request("GET", "/health").status == 200)
        #expect(restarted.terminate() == 0)
        let backtracer = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] ?? ""
        if !backtracer.contains("enable=no") {
            let report = try String(contentsOfFile: root.file("first.log"), encoding: .utf8)
            #expect(report.contains("Signal \(signal): Backtracing"), "the crash report is still written: \(report.suffix(500))")
        }
    }

    /// A supervisor's restart on the same data directory, straight after the crash: the
    /// crashed node holds the directory's lock until it has exited, so the new node waits
    /// for it (saying so), then serves every acknowledged write.
    @Test func aNodeRestartedAtOnceOnTheSameDirectoryWaitsForTheLockAndKeepsEveryWrite() throws {
        let root = try TemporaryDirectory("node-crash-same")
        let first = try NodeProcess(["--port", "0", "--data-dir", root.file("data")], log: root.file("first.log"))
        for i in 0..<20 {
            #expect(try first.request("PUT", "/kv/key-\(i)", body: Array("value-\(i)".utf8)).status == 200)
        }
        #expect(kill(first.process.processIdentifier, SIGSEGV) == 0)
        let restarted = try NodeProcess(
            ["--port", String(first.port), "--data-dir", root.file("data")], log: root.file("second.log"))
        defer { if restarted.process.isRunning { restarted.kill() } }
        // The deadline only guards against a hang (the backtracer's own timeout is 30 s).
        _ = first.exits(within: .seconds(90))
        for i in 0..<20 {
            #expect(try restarted.request("GET", "/kv/key-\(i)").body == Array("value-\(i)".utf8))
        }
        #expect(restarted.terminate() == 0)
        let backtracer = ProcessInfo.processInfo.environment["SWIFT_BACKTRACE"] ?? ""
        if !backtracer.contains("enable=no") {
            let log = try String(contentsOfFile: root.file("second.log"), encoding: .utf8)
            #expect(log.contains("locked by another process"), "\(log.suffix(500))")
        }
    }
}
