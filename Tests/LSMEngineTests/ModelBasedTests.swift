import ScribeTestSupport
import Testing
@testable import LSMEngine
import ScribeBytes

/// Drives the store with thousands of random operations and checks every read
/// against a plain in-memory reference holding every version of every key.
@Suite struct ModelBasedTests {
    /// The reference: every version ever written, per key.
    struct Model {
        var history: [[UInt8]: [KeyVersion]] = [:]

        mutating func apply(_ key: [UInt8], _ version: KeyVersion) {
            history[key, default: []].append(version)
        }

        func lookup(_ key: [UInt8], at sequence: SequenceNumber) -> KeyVersion? {
            history[key]?.last { $0.sequence <= sequence }
        }

        func versions(_ key: [UInt8], at sequence: SequenceNumber) -> [KeyVersion] {
            (history[key] ?? []).filter { $0.sequence <= sequence }.reversed()
        }

        func scan(_ scan: ScanOptions, at sequence: SequenceNumber) -> [StoreEntry] {
            var out: [StoreEntry] = []
            for key in history.keys.sorted(by: { ByteOrder.compare($0, $1) < 0 }) {
                if let start = scan.start, ByteOrder.compare(key, start) < 0 { continue }
                if let end = scan.end, ByteOrder.compare(key, end) >= 0 { continue }
                if let prefix = scan.prefix, !key.starts(with: prefix) { continue }
                if let v = lookup(key, at: sequence), !v.isDeleted {
                    out.append(StoreEntry(key: key, value: v.value, sequence: v.sequence))
                }
            }
            return scan.reverse ? out.reversed() : out
        }
    }

    static func randomKey(_ rng: inout SeededGenerator) -> [UInt8] {
        let n = Int.random(in: 0..<300, using: &rng)
        // Shared prefixes exercise prefix compression and prefix scans.
        return Array("k\(n % 7)/\(n)".utf8) + (n % 11 == 0 ? [0xFF, 0x00] : [])
    }

    static func randomValue(_ rng: inout SeededGenerator) -> [UInt8] {
        let size = Int.random(in: 0..<20, using: &rng) == 0 ? Int.random(in: 2000...9000, using: &rng) : Int.random(in: 0...120, using: &rng)
        return rng.bytes(size)
    }

    static func randomScan(_ rng: inout SeededGenerator, snapshot: Snapshot?) -> ScanOptions {
        var scan = ScanOptions(reverse: Bool.random(using: &rng), snapshot: snapshot)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: scan.prefix = Array("k\(Int.random(in: 0..<7, using: &rng))/".utf8)
        case 1: scan.start = randomKey(&rng)
        case 2: scan.end = randomKey(&rng)
        default:
            let a = randomKey(&rng)
            let b = randomKey(&rng)
            (scan.start, scan.end) = ByteOrder.compare(a, b) <= 0 ? (a, b) : (b, a)
        }
        return scan
    }

    /// Options that make flushes and compactions (automatic and forced) happen
    /// within a few thousand small operations.
    static func options(seed: UInt64, policy: HistoryPolicy) -> StoreOptions {
        var options = smallStoreOptions()
        options.compression = seed % 2 == 0 ? .lz4 : .none
        options.historyPolicy = policy
        options.level0CompactionTrigger = 3
        options.targetSegmentSize = 8 << 10
        options.maxBytesForLevelBase = 24 << 10
        options.levelSizeMultiplier = 3
        return options
    }

    @Test(arguments: [UInt64(1), 2, 3, 4], [HistoryPolicy.retainAll, .latestOnly])
    func randomOperationsMatchReference(seed: UInt64, policy: HistoryPolicy) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try TemporaryDirectory("model")
        let options = Self.options(seed: seed, policy: policy)
        // With .latestOnly only the newest state and live snapshots are kept,
        // so history is checked at snapshot sequences only, and a tombstone may
        // be gone once nothing older lies beneath it: compare it as absence.
        let fullHistory = policy == .retainAll
        func visible(_ version: KeyVersion?) -> KeyVersion? {
            fullHistory ? version : version.flatMap { $0.isDeleted ? nil : $0 }
        }
        var store = try LSMStore.open(at: dir.path, options: options)
        var model = Model()
        var snapshots: [Snapshot] = []
        // Counters restart at each open; these sum them over the whole run.
        var compactions: UInt64 = 0
        var dropped: UInt64 = 0

        for step in 0..<2500 {
            let context = "seed \(seed) step \(step)"
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<35:
                let key = Self.randomKey(&rng)
                let value = Self.randomValue(&rng)
                let seq = try store.put(key, value, options: WriteOptions(sync: Bool.random(using: &rng)))
                model.apply(key, KeyVersion(sequence: seq, kind: .put, value: value))
            case 35..<45:
                let key = Self.randomKey(&rng)
                let seq = try store.delete(key, options: .buffered)
                model.apply(key, KeyVersion(sequence: seq, kind: .delete, value: []))
            case 45..<52:
                var batch = WriteBatch()
                var ops: [([UInt8], [UInt8]?)] = []
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    let key = Self.randomKey(&rng)
                    if Bool.random(using: &rng) {
                        let value = Self.randomValue(&rng)
                        batch.put(key, value)
                        ops.append((key, value))
                    } else {
                        batch.delete(key)
                        ops.append((key, nil))
                    }
                }
                let last = try store.write(batch, options: .buffered)
                var seq = last - SequenceNumber(ops.count) + 1
                for (key, value) in ops {
                    model.apply(key, KeyVersion(sequence: seq, kind: value == nil ? .delete : .put, value: value ?? []))
                    seq += 1
                }
            case 52..<70:
                let key = Self.randomKey(&rng)
                let expected = model.lookup(key, at: store.latestSequence)
                #expect(try visible(store.lookup(key)) == visible(expected), "\(context): get")
            case 70..<78:
                let key = Self.randomKey(&rng)
                let at = fullHistory
                    ? SequenceNumber.random(in: 0...store.latestSequence, using: &rng)
                    : snapshots.randomElement(using: &rng)?.sequence ?? store.latestSequence
                #expect(try visible(store.lookup(key, atSequence: at)) == visible(model.lookup(key, at: at)), "\(context): get at \(at)")
            case 78..<83:
                let key = Self.randomKey(&rng)
                if fullHistory {
                    #expect(try store.versions(of: key) == model.versions(key, at: store.latestSequence), "\(context): versions")
                } else {
                    #expect(try visible(store.versions(of: key).first) == visible(model.versions(key, at: store.latestSequence).first), "\(context): newest version")
                }
            case 83..<90:
                let snapshot = snapshots.isEmpty || Bool.random(using: &rng) ? nil : snapshots.randomElement(using: &rng)
                let scan = Self.randomScan(&rng, snapshot: snapshot)
                let expected = model.scan(scan, at: snapshot?.sequence ?? store.latestSequence)
                #expect(try store.scan(scan) == expected, "\(context): scan \(scan)")
            case 90..<93:
                snapshots.append(store.snapshot())
                if snapshots.count > 4 { snapshots.removeFirst() }
            case 93..<95:
                if let snapshot = snapshots.randomElement(using: &rng) {
                    let key = Self.randomKey(&rng)
                    let expected = model.lookup(key, at: snapshot.sequence).flatMap { $0.isDeleted ? nil : $0.value }
                    #expect(try store.get(key, snapshot: snapshot) == expected, "\(context): snapshot get")
                }
            case 95..<97:
                try store.flush()
            case 97..<98:
                if Bool.random(using: &rng) { try store.flush() }
                try store.compact()
            default:
                let sequence = store.latestSequence
                snapshots.removeAll()
                try store.close()
                let manifest = (store.stats().manifestVersion, store.stats().manifestDigest)
                compactions += store.stats().compactions
                dropped += store.stats().compactionEntriesDropped
                store = try LSMStore.open(at: dir.path, options: options)
                #expect(store.latestSequence == sequence, "\(context): sequence survives reopen")
                #expect(store.versions.history.contains { $0.version == manifest.0 && $0.digest == manifest.1 }, "\(context): the manifest chain continues")
            }
        }
        let everything = model.scan(ScanOptions(), at: store.latestSequence)
        #expect(try store.scan() == everything)
        #expect(try store.scan(ScanOptions(reverse: true)) == everything.reversed())
        #expect(try store.verifyIntegrity().isIntact)
        compactions += store.stats().compactions
        dropped += store.stats().compactionEntriesDropped
        #expect(compactions > 0, "seed \(seed): compaction ran")
        #expect(fullHistory ? dropped == 0 : dropped > 0, "seed \(seed): only latestOnly drops history")
        try store.close()
    }
}
