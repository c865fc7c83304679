import ArgumentParser
import LSMEngine

#if canImport(Glibc)
import Glibc
#endif
import ScribeBytes

struct ScribeKV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scribe-kv",
        abstract: "Inspect and edit a Scribe Ledger LSM store directly (like RocksDB's ldb and sst_dump).",
        subcommands: [
            PutCommand.self, GetCommand.self, DeleteCommand.self, HistoryCommand.self, ScanCommand.self,
            LoadCommand.self, FlushCommand.self, CheckCommand.self, StatsCommand.self, DumpSegmentCommand.self,
            ProveCommand.self, ProveConsistencyCommand.self, VerifyProofCommand.self,
        ]
    )
}

/// Options every command that opens a store shares.
struct StoreArguments: ParsableArguments {
    @Option(name: .long, help: "The store directory.")
    var db: String

    @Flag(name: .long, help: "Keys and values are hex on input and output (for binary data).")
    var hex = false

    @Flag(
        name: .long,
        help: """
            Open a damaged store anyway: drop damaged WAL and MANIFEST records and move unlisted segments \
            to lost/, printing each (read-only commands only report what would be dropped).
            """)
    var skipCorruption = false

    /// Opens the store; `readOnly` for commands that only look (nothing on disk changes).
    /// What recovery found is printed on stderr.
    func open(createIfMissing: Bool = false, readOnly: Bool = false) throws -> LSMStore {
        var options = StoreOptions()
        options.createIfMissing = createIfMissing
        options.readOnly = readOnly
        options.recoveryMode = skipCorruption ? .skipCorruption : .strict
        do {
            let store = try LSMStore.open(at: db, options: options)
            for finding in store.recoveryReport.findings { Output.error("recovery: \(finding)") }
            return store
        } catch {
            throw CommandFailure("cannot open store at \(db): \(error)")
        }
    }

    /// Bytes of a key or value given on the command line or stdin.
    func bytes(_ text: String, what: String) throws -> [UInt8] {
        guard hex else { return Array(text.utf8) }
        guard let bytes = Hex.decodeIgnoringCase(text) else {
            throw CommandFailure("\(what) is not valid hex: \(text)")
        }
        return bytes
    }

    /// How a key or value is printed.
    func render(_ bytes: [UInt8]) -> String {
        hex ? Hex.encode(bytes) : String(decoding: bytes, as: UTF8.self)
    }
}

/// An error printed as one line on stderr, with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

enum Output {
    /// Writes `text` to stdout and flushes it at once (callers watch for it).
    static func line(_ text: String) {
        print(text)
        fflush(nil)
    }

    static func error(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
