import LSMEngine

#if canImport(Glibc)
import Glibc
#endif

/// What every harness under `Fuzz/` shares: scratch files, the invariant
/// check, seed files made by the engine and the replay `main` used when the
/// harness is built without libFuzzer.
public enum FuzzSupport {
    /// A per-process scratch directory on tmpfs when available (segment
    /// writers fsync), created on first use and removed at exit.
    public static let scratch: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let path = "\(base)/scribe-fuzz-\(getpid())"
        mkdir(path, 0o755)
        atexit { FuzzSupport.removeDirectory(FuzzSupport.scratch) }
        return path
    }()

    /// Stops the process with `message` when an invariant fails; libFuzzer
    /// records the input as a crash artifact.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition {
            report("invariant failed: \(message())")
            abort()
        }
    }

    /// Writes `message` and a newline to standard error.
    public static func report(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// Writes `bytes` to `path`, replacing it. Returns false on failure.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bytes.withUnsafeBytes { $0.isEmpty || Glibc.write(fd, $0.baseAddress, $0.count) == $0.count }
    }

    /// The whole contents of `path`, or nil if it cannot be read.
    public static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    /// Creates directory `path` (no error if it exists).
    public static func makeDirectory(_ path: String) {
        mkdir(path, 0o755)
    }

    /// Removes every entry of directory `path` (not recursing) and the directory.
    public static func removeDirectory(_ path: String) {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(path)/\(name)") }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    /// The files of a small store written by the engine itself: puts,
    /// overwrites and deletes over two flushes, then unflushed writes left in
    /// the WAL. Returns (file name, bytes) for every file in the directory.
    public static func seedStoreFiles() throws -> [(name: String, bytes: [UInt8])] {
        let directory = "\(scratch)/seed-store"
        removeDirectory(directory)
        var options = StoreOptions()
        options.blockSize = 256
        let store = try LSMStore.open(at: directory, options: options)
        for round in 0..<2 {
            for i in 0..<24 {
                _ = try store.put(Array("key-\(i % 17)".utf8), Array("value-\(round)-\(i)".utf8))
            }
            _ = try store.delete(Array("key-3".utf8))
            try store.flush()
        }
        var batch = WriteBatch()
        batch.put(Array("wal-a".utf8), Array("1".utf8))
        batch.delete(Array("key-5".utf8))
        _ = try store.write(batch)
        _ = try store.put(Array("wal-b".utf8), Array("2".utf8))
        try store.close()
        var files: [(name: String, bytes: [UInt8])] = []
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != "..", let bytes = read("\(directory)/\(name)") { files.append((name, bytes)) }
            }
            closedir(dir)
        }
        removeDirectory(directory)
        return files.sorted { $0.name < $1.name }
    }

    /// The replay `main`: `--make-corpus DIR` writes `seeds()` as DIR/seed-N;
    /// otherwise every file named on the command line is passed to `run`.
    public static func replayMain(run: ([UInt8]) -> Void, seeds: () throws -> [[UInt8]]) {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--make-corpus", arguments.count == 2 {
            do {
                let made = try seeds()
                makeDirectory(arguments[1])
                for (i, seed) in made.enumerated() where !write(seed, to: "\(arguments[1])/seed-\(i)") {
                    report("cannot write \(arguments[1])/seed-\(i)")
                    exit(2)
                }
                print("wrote \(made.count) seeds to \(arguments[1])")
            } catch {
                report("cannot make seeds: \(error)")
                exit(2)
            }
            return
        }
        for path in arguments {
            guard let bytes = read(path) else {
                report("cannot open \(path)")
                exit(2)
            }
            run(bytes)
        }
        print("replayed \(arguments.count) inputs")
    }
}

extension FuzzSupport {
    /// Runs every segment reader over the file at `path`, which must not end
    /// in `.sst` (opening checks such a name against the segment id); it is
    /// renamed to the name the segment claims before verification, which
    /// requires it, and removed afterwards. Checks what any accepted segment must
    /// satisfy: strictly increasing internal keys; backward iteration equals
    /// forward reversed; and, for a segment that verifies, as many entries as
    /// the properties claim (opening cannot check the count without a full
    /// pass, and a resealed properties block may forge it), a recomputed root
    /// equal to the stored one and point reads (`versions`, `get`) that agree
    /// with iteration.
    public static func checkSegment(path: String) {
        var path = path
        defer { unlink(path) }
        let entries = try? UntrustedInput.segmentEntries(path: path)
        if let entries {
            for (a, b) in zip(entries.forward, entries.forward.dropFirst()) {
                check(UntrustedInput.compareInternalKeys(a.key, b.key) < 0, "segment iterates out of order")
            }
            check(entries.backward.count == entries.forward.count, "backward and forward differ in length")
            for (f, b) in zip(entries.forward, entries.backward.reversed()) {
                check(f.key == b.key && f.value == b.value, "backward and forward differ")
            }
        }
        if let name = try? UntrustedInput.segmentFileName(path: path) {
            let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            let renamed = "\(directory)/\(name)"
            if renamed != path, rename(path, renamed) == 0 { path = renamed }
        }
        var userKeys: [[UInt8]] = []
        for entry in entries?.forward ?? [] {
            if let key = UntrustedInput.userKey(entry.key), userKeys.last != key { userKeys.append(key) }
        }
        userKeys = Array(userKeys.prefix(8))
        let lookups = userKeys.map { try? UntrustedInput.segmentLookup(path: path, userKey: $0) }
        guard (try? UntrustedInput.verifySegment(path: path)) != nil else { return }
        guard let entries else {
            check(false, "segment verifies but does not iterate")
            return
        }
        check(UInt64(entries.forward.count) == entries.entryCount,
              "segment verifies with \(entries.forward.count) entries but properties claim \(entries.entryCount)")
        let roots = try? UntrustedInput.segmentRoots(path: path)
        check(roots != nil && roots?.stored == roots?.recomputed, "segment verifies but its recomputed root differs")
        for (key, lookup) in zip(userKeys, lookups) {
            guard let lookup else {
                check(false, "segment verifies but a point read throws")
                return
            }
            let seen = entries.forward.filter { UntrustedInput.userKey($0.key) == key }
            check(lookup.versions.count == seen.count, "versions returns \(lookup.versions.count), iteration \(seen.count)")
            for (v, s) in zip(lookup.versions, seen) {
                check(v.key == s.key && v.value == s.value, "versions differ from iteration")
            }
            check(lookup.newest?.key == seen.first?.key && lookup.newest?.value == seen.first?.value,
                  "get differs from the newest version")
        }
    }
}
