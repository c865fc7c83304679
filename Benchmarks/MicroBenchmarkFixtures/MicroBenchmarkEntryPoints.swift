import ScribeBytes
import LSMEngine
import ScribeCrypto

/// The engine's inner loops, exposed to the package's micro-benchmarks
/// (`Benchmarks/LSMMicroBenchmarks`) with `package` access, because internal
/// types are not visible from another module in release builds.
///
/// Each entry point runs the real internal code — `Memtable`, `BlockBuilder`,
/// `BlockReader`/`BlockIterator`, `BloomFilterBuilder`/`BloomFilter`,
/// `EntryLeaf`/`SegmentMerkleBuilder`, `CRC32C` — on inputs prepared beforehand
/// (a `Workload`, or a fixture built from one), so that only the operation is
/// measured. Every entry point returns a count or a checksum of what it did,
/// so the optimiser cannot drop the work.
package enum MicroBenchmarkEntryPoints {
    /// Bytes per user key, as db_bench's default `--key_size`.
    package static let keySize = 16

    /// Bytes per internal key: the user key and its 8-byte trailer.
    static let internalKeySize = keySize + 8

    /// `count` distinct user keys, stored back to back in ascending order, a
    /// fixed pseudo-random permutation of them (the probe order), and one value
    /// that every entry stores. Key `i` is db_bench's: `i` as 8 bytes big-endian,
    /// then ASCII `'0'` up to `keySize`, so ascending `i` is ascending bytes.
    ///
    /// Costs `count × (keySize + 4)` bytes plus the value; building it is O(count).
    package struct Workload: Sendable {
        /// The number of keys.
        package let count: Int
        /// The value stored under every key.
        package let value: [UInt8]
        private let keys: [UInt8]
        private let order: [Int32]

        /// `count` keys (1 ... 2^31 − 1) and a value of `valueSize` bytes; the
        /// probe order is a Fisher–Yates shuffle driven by SplitMix64 from `seed`,
        /// so equal arguments give equal workloads.
        package init(count: Int, valueSize: Int, seed: UInt64 = 0x5eed) {
            precondition(count >= 1 && count <= Int(Int32.max), "workload key count out of range")
            precondition(valueSize >= 0, "value size must not be negative")
            self.count = count
            value = (0..<valueSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var keys = [UInt8](repeating: UInt8(ascii: "0"), count: count * MicroBenchmarkEntryPoints.keySize)
            for i in 0..<count {
                let base = i * MicroBenchmarkEntryPoints.keySize
                for b in 0..<8 { keys[base + b] = UInt8(truncatingIfNeeded: UInt64(i) >> UInt64(56 - 8 * b)) }
            }
            self.keys = keys
            var order = (0..<count).map { Int32($0) }
            var state = seed
            for i in stride(from: count - 1, to: 0, by: -1) {
                state &+= 0x9e37_79b9_7f4a_7c15
                var z = state
                z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
                z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
                z ^= z >> 31
                order.swapAt(i, Int(z % UInt64(i + 1)))
            }
            self.order = order
        }

        /// The index of the `n`-th key in probe order (`n` taken modulo `count`).
        @inline(__always)
        package func probeIndex(_ n: Int) -> Int {
            Int(order[n % count])
        }

        /// Calls `body` with key `index` (0 ..< count) in place, without copying.
        @inline(__always)
        func withKey<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try keys.withUnsafeBytes { all in
                try body(UnsafeRawBufferPointer(rebasing: all[(index * keySize)..<((index + 1) * keySize)]))
            }
        }
    }

    // MARK: Memtable

    /// Inserts every key of `workload` in probe order (sequence = position + 1,
    /// kind put, the workload's value) into a new memtable with the engine's
    /// default arena chunk size; returns the memtable's entry count. The cost
    /// includes the memtable's creation and its first arena chunk.
    package static func memtableInsert(_ workload: Workload) -> Int {
        let memtable = Memtable()
        workload.value.withUnsafeBytes { value in
            for n in 0..<workload.count {
                workload.withKey(workload.probeIndex(n)) { key in
                    memtable.add(sequence: SequenceNumber(n + 1), kind: .put, key: key, value: value)
                }
            }
        }
        return memtable.entryCount
    }

    /// A memtable holding every key of a workload (inserted in ascending key
    /// order, sequence = index + 1), for measuring point lookups.
    package final class MemtableFixture: Sendable {
        private let workload: Workload
        private let memtable: Memtable

        /// Builds the memtable: O(count log count).
        package init(_ workload: Workload) {
            self.workload = workload
            memtable = Memtable()
            workload.value.withUnsafeBytes { value in
                for i in 0..<workload.count {
                    workload.withKey(i) { memtable.add(sequence: SequenceNumber(i + 1), kind: .put, key: $0, value: value) }
                }
            }
        }

        /// `Memtable.get` of the keys at probe positions `probes` (wrapping
        /// around the workload) at the newest sequence; returns how many were
        /// found with a value — `probes.count` unless the memtable is wrong.
        /// Each hit copies its value out, as the engine's read path does.
        package func get(probes: Range<Int>) -> Int {
            var found = 0
            for n in probes {
                let hit = workload.withKey(workload.probeIndex(n)) { key in
                    if case .value = memtable.get(key, atSequence: maxSequenceNumber) { return true }
                    return false
                }
                if hit { found += 1 }
            }
            return found
        }
    }

    // MARK: Blocks

    /// Builds data blocks from every entry of `workload` in key order (internal
    /// key = user key ‖ trailer of sequence index + 1, kind put), finishing a
    /// block when its estimated size reaches `blockSize`, as `SegmentWriter`
    /// does; returns the total raw bytes of the finished blocks.
    package static func buildBlocks(_ workload: Workload, blockSize: Int = 4096, restartInterval: Int = 16) -> Int {
        var builder = BlockBuilder(restartInterval: restartInterval)
        var key = [UInt8](repeating: 0, count: internalKeySize)
        var total = 0
        workload.value.withUnsafeBytes { value in
            for i in 0..<workload.count {
                fillInternalKey(&key, workload: workload, index: i, trailer: KeyTrailer(sequence: SequenceNumber(i + 1), kind: .put))
                key.withUnsafeBytes { builder.add(key: $0, value: value) }
                if builder.estimatedSize >= blockSize { total += builder.finish().count }
            }
        }
        if !builder.isEmpty { total += builder.finish().count }
        return total
    }

    /// One data block holding every entry of a workload (build the workload
    /// small enough for one block: about 34 entries of 100-byte values make
    /// 4 KiB), read through `BlockReader`, plus the seek target of every key:
    /// user key ‖ `KeyTrailer.seek(maxSequenceNumber)`.
    package final class BlockFixture: Sendable {
        private let workload: Workload
        private let block: BlockReader
        private let targets: [UInt8]

        /// The raw size of the block in bytes.
        package var blockBytes: Int { block.bytes.count }

        /// Builds and validates the block; throws `LSMError` only if the
        /// builder produced a block the reader rejects.
        package init(_ workload: Workload, restartInterval: Int = 16) throws {
            self.workload = workload
            var builder = BlockBuilder(restartInterval: restartInterval)
            var key = [UInt8](repeating: 0, count: internalKeySize)
            var targets: [UInt8] = []
            targets.reserveCapacity(workload.count * internalKeySize)
            let seekTrailer = KeyTrailer.seek(maxSequenceNumber)
            workload.value.withUnsafeBytes { value in
                for i in 0..<workload.count {
                    fillInternalKey(&key, workload: workload, index: i, trailer: KeyTrailer(sequence: SequenceNumber(i + 1), kind: .put))
                    key.withUnsafeBytes { builder.add(key: $0, value: value) }
                    fillInternalKey(&key, workload: workload, index: i, trailer: seekTrailer)
                    targets.append(contentsOf: key)
                }
            }
            self.targets = targets
            block = try BlockReader(copying: builder.finish(), file: "micro-benchmark", fileOffset: 0)
        }

        /// Seeks one `BlockIterator` to the keys at probe positions `probes`
        /// (binary search over restart points, then a linear scan); returns how
        /// many landed on their own user key — `probes.count` unless the block
        /// is wrong. Throws `LSMError.corruption` if the block fails to decode.
        package func seek(probes: Range<Int>) throws -> Int {
            let iterator = block.makeIterator()
            var found = 0
            try targets.withUnsafeBytes { all in
                for n in probes {
                    let index = workload.probeIndex(n)
                    let target = UnsafeRawBufferPointer(rebasing: all[(index * internalKeySize)..<((index + 1) * internalKeySize)])
                    try iterator.seek(target)
                    if iterator.isValid,
                       ByteOrder.compare(UnsafeRawBufferPointer(rebasing: iterator.key[0..<keySize]),
                                    UnsafeRawBufferPointer(rebasing: target[0..<keySize])) == 0 {
                        found += 1
                    }
                }
            }
            return found
        }
    }

    /// Writes key `index` of `workload` followed by `trailer` into `key`
    /// (`internalKeySize` bytes).
    private static func fillInternalKey(_ key: inout [UInt8], workload: Workload, index: Int, trailer: KeyTrailer) {
        key.withUnsafeMutableBytes { out in
            workload.withKey(index) { out.copyMemory(from: $0) }
            out.storeBytes(of: trailer.rawValue.littleEndian, toByteOffset: keySize, as: UInt64.self)
        }
    }

    // MARK: Bloom filter

    /// A Bloom filter over the even-indexed keys of a workload, built by
    /// `BloomFilterBuilder` and parsed by `BloomFilter`, so probing every key
    /// gives half true members and half non-members.
    package final class BloomFixture: Sendable {
        private let workload: Workload
        private let filter: BloomFilter

        /// Builds the filter with `bitsPerKey` (≥ 1) bits per member key; throws
        /// `LSMError` only if the builder produced a block the parser rejects.
        package init(_ workload: Workload, bitsPerKey: Int = 10) throws {
            precondition(bitsPerKey >= 1, "a probed filter needs at least one bit per key")
            self.workload = workload
            var builder = BloomFilterBuilder(bitsPerKey: bitsPerKey)
            for i in stride(from: 0, to: workload.count, by: 2) {
                workload.withKey(i) { builder.add(userKey: $0) }
            }
            filter = try BloomFilter(block: builder.finish(), file: "micro-benchmark", offset: 0)
        }

        /// `BloomFilter.mayContain` of the keys at probe positions `probes`;
        /// returns how many answered "may contain": every member plus the false
        /// positives (about 1 % of non-members at 10 bits per key).
        package func probe(probes: Range<Int>) -> Int {
            var positive = 0
            for n in probes where workload.withKey(workload.probeIndex(n), filter.mayContain) {
                positive += 1
            }
            return positive
        }
    }

    // MARK: Merkle leaves

    /// The Merkle leaves of the entries at key indices `indices` (ascending,
    /// inside the workload), as a segment writer computes them: SHA-256 of the
    /// value, then `EntryLeaf.hash` with the next key as `nextUserKey` (empty
    /// after the workload's last key). Two SHA-256 passes and a few small
    /// arrays per entry. Returns the XOR of every leaf's first 8 bytes.
    package static func entryLeafHashes(_ workload: Workload, indices: Range<Int>) -> UInt64 {
        precondition(indices.lowerBound >= 0 && indices.upperBound <= workload.count, "leaf indices outside the workload")
        var folded: UInt64 = 0
        for i in indices {
            let valueHash = SHA256.hash(workload.value)
            let trailer = KeyTrailer(sequence: SequenceNumber(i + 1), kind: .put).rawValue
            let leaf = workload.withKey(i) { key in
                if i + 1 < workload.count {
                    return workload.withKey(i + 1) { next in
                        EntryLeaf.hash(userKey: key, trailer: trailer, valueHash: valueHash, nextUserKey: next)
                    }
                }
                return EntryLeaf.hash(userKey: key, trailer: trailer, valueHash: valueHash,
                                      nextUserKey: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            folded ^= leaf.withUnsafeBytes { readFixed64($0, at: 0) }
        }
        return folded
    }

    /// The segment Merkle root of every entry of `workload` in key order, with
    /// a block boundary every `entriesPerBlock` entries, computed by
    /// `SegmentMerkleBuilder` (per-entry leaves, per-block roots, the root of
    /// the block roots). Returns the root's first 8 bytes.
    package static func segmentMerkleRoot(_ workload: Workload, entriesPerBlock: Int = 34) -> UInt64 {
        precondition(entriesPerBlock >= 1, "a block holds at least one entry")
        var builder = SegmentMerkleBuilder()
        workload.value.withUnsafeBytes { value in
            for i in 0..<workload.count {
                let trailer = KeyTrailer(sequence: SequenceNumber(i + 1), kind: .put).rawValue
                workload.withKey(i) { builder.add(userKey: $0, trailer: trailer, value: value) }
                if (i + 1) % entriesPerBlock == 0 || i + 1 == workload.count { builder.endBlock() }
            }
        }
        return builder.finish().withUnsafeBytes { readFixed64($0, at: 0) }
    }

    // MARK: CRC32C

    /// `CRC32C.checksum` of all of `bytes` (unmasked), the engine's block and
    /// record checksum; O(bytes), hardware-accelerated where the CPU allows.
    package static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        CRC32C.checksum(bytes)
    }
}
