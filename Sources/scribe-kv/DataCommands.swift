import ArgumentParser
import LSMEngine

struct PutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Write a value; prints its sequence number.")
    @OptionGroup var store: StoreArguments
    @Argument var key: String
    @Argument var value: String

    func run() throws {
        let db = try store.open(createIfMissing: true)
        defer { try? db.close() }
        Output.line(String(try db.put(store.bytes(key, what: "key"), store.bytes(value, what: "value"))))
    }
}

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Print a key's newest value; exit 1 when missing.")
    @OptionGroup var store: StoreArguments
    @Argument var key: String
    @Option(help: "Read the value as of this sequence number.") var sequence: UInt64?

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let k = try store.bytes(key, what: "key")
        let value = try sequence.map { try db.get(k, atSequence: $0) } ?? db.get(k)
        guard let value else {
            Output.error("not found")
            throw ExitCode(1)
        }
        Output.line(store.render(value))
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Write a tombstone; prints its sequence number.")
    @OptionGroup var store: StoreArguments
    @Argument var key: String

    func run() throws {
        let db = try store.open()
        defer { try? db.close() }
        Output.line(String(try db.delete(store.bytes(key, what: "key"))))
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Print every version of a key, newest first: sequence, kind, value.")
    @OptionGroup var store: StoreArguments
    @Argument var key: String

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let versions = try db.versions(of: store.bytes(key, what: "key"))
        guard !versions.isEmpty else {
            Output.error("not found")
            throw ExitCode(1)
        }
        for v in versions {
            Output.line(v.isDeleted ? "\(v.sequence)\tdelete" : "\(v.sequence)\tput\t\(store.render(v.value))")
        }
    }
}

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scan", abstract: "Print live keys and values as key<TAB>value lines.")
    @OptionGroup var store: StoreArguments
    @Option(help: "Only keys with this prefix.") var prefix: String?
    @Option(help: "First key (inclusive).") var from: String?
    @Option(help: "Stop before this key (exclusive).") var to: String?
    @Flag(help: "Descending key order.") var reverse = false
    @Option(help: "At most this many entries.") var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, got \(limit)") }
    }

    func run() throws {
        let db = try store.open(readOnly: true)
        defer { try? db.close() }
        let scan = ScanOptions(
            start: try from.map { try store.bytes($0, what: "--from") },
            end: try to.map { try store.bytes($0, what: "--to") },
            prefix: try prefix.map { try store.bytes($0, what: "--prefix") },
            reverse: reverse)
        let iterator = try db.makeIterator(scan)
        var printed = 0
        while printed < (limit ?? .max), let entry = try iterator.next() {
            Output.line("\(store.render(entry.key))\t\(store.render(entry.value))")
            printed += 1
        }
    }
}

struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Write key<TAB>value lines from stdin; prints \"ok KEY\" after each write returns.")
    @OptionGroup var store: StoreArguments
    @Flag(help: "Sync each write to disk before acknowledging it.") var sync = false

    func run() throws {
        let db = try store.open(createIfMissing: true)
        defer { try? db.close() }
        var lineNumber = 0
        var rejected = 0
        while let line = readLine() {
            lineNumber += 1
            guard let tab = line.firstIndex(of: "\t") else {
                Output.error("line \(lineNumber): expected key<TAB>value")
                rejected += 1
                continue
            }
            let keyText = String(line[..<tab])
            do {
                let key = try store.bytes(keyText, what: "key")
                let value = try store.bytes(String(line[line.index(after: tab)...]), what: "value")
                try db.put(key, value, options: WriteOptions(sync: sync))
                Output.line("ok \(keyText)")
            } catch let error as LSMError {
                Output.error("line \(lineNumber): \(error)")
                rejected += 1
            }
        }
        if rejected > 0 {
            throw CommandFailure("\(rejected) of \(lineNumber) lines were not written")
        }
    }
}
