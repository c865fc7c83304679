import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine

@Suite struct CrashTests {
    /// Cuts the WAL of a small store at every byte offset: each cut must reopen
    /// cleanly with exactly a prefix of the writes (those wholly before the cut).
    @Test func reopensAfterWALTruncatedAtEveryOffset() throws {
        let source = try TemporaryDirectory("wal-source")
        let store = try LSMStore.open(at: source.path)
        var values: [[UInt8]] = []
        for i in 0..<12 {
            let value = [UInt8]("value-\(i)-" + String(repeating: "x", count: i * 7))
            values.append(value)
            try store.put([UInt8]("key\(i)"), value)
        }
        try store.close()
        let wal = try #require(storeFiles(source.path, suffix: ".log").last)
        let walName = URL(fileURLWithPath: wal).lastPathComponent
        let original = try Data(contentsOf: URL(fileURLWithPath: wal))
        #expect(original.count > 200)
        var previous = -1
        for cut in 0...original.count {
            let copy = try TemporaryDirectory("wal-cut")
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name != "LOCK" {
                try FileManager.default.copyItem(atPath: source.path + "/" + name, toPath: copy.path + "/" + name)
            }
            try original.prefix(cut).write(to: URL(fileURLWithPath: copy.path + "/" + walName))
            let reopened = try LSMStore.open(at: copy.path)
            let present = try (0..<12).map { try reopened.get([UInt8]("key\($0)")) }
            let count = present.prefix { $0 != nil }.count
            #expect(present.dropFirst(count).allSatisfy { $0 == nil }, "cut \(cut): writes after a gap")
            #expect(zip(present.prefix(count), values).allSatisfy { $0 == $1 }, "cut \(cut): wrong value")
            #expect(count >= previous, "cut \(cut): fewer writes than a shorter cut")
            #expect(reopened.latestSequence == SequenceNumber(count))
            previous = count
            try reopened.close()
        }
        #expect(previous == 12)
    }

    /// Kills a child process doing synced writes at an arbitrary moment, several
    /// times over one store: every acknowledged write survives, and nothing
    /// unacknowledged appears half-written.
    @Test func acknowledgedSyncedWritesSurviveKill() throws {
        let dir = try TemporaryDirectory("kill")
        var acknowledged: [String: String] = [:]
        var sent: [String: String] = [:]
        ignoreBrokenPipes()
        for round in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ScribeKVBinary.path)
            process.arguments = ["--db", dir.path, "load", "--sync"]
            let stdin = Pipe()
            let stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            let writer = stdin.fileHandleForWriting
            let reader = stdout.fileHandleForReading
            let total = 400
            let killAfter = 100 + round * 60
            var buffered = Data()
            var acks = 0
            for i in 0..<total {
                let key = "r\(round)-k\(i)"
                let value = "r\(round)-v\(i)-" + String(repeating: "p", count: (i * 37) % 300)
                sent[key] = value
                writer.write(Data("\(key)\t\(value)\n".utf8))
                if i >= killAfter { break }
                while acks <= i {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    buffered.append(chunk)
                    while let newline = buffered.firstIndex(of: 0x0A) {
                        let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                        buffered.removeSubrange(buffered.startIndex...newline)
                        if line.hasPrefix("ok ") {
                            let key = String(line.dropFirst(3))
                            acknowledged[key] = sent[key]
                            acks += 1
                        }
                    }
                }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(acks >= killAfter)

            let store = try LSMStore.open(at: dir.path)
            for (key, value) in acknowledged {
                #expect(try store.get([UInt8](key)) == [UInt8](value), "round \(round): acknowledged \(key) lost")
            }
            for entry in try store.scan() {
                let key = String(decoding: entry.key, as: UTF8.self)
                #expect(sent[key].map { [UInt8]($0) } == entry.value, "round \(round): \(key) holds bytes never sent")
            }
            try store.close()
        }
    }
}
