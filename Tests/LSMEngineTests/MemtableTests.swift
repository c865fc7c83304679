import Foundation
import ScribeTestSupport
import Synchronization
import Testing
@testable import LSMEngine
import ScribeBytes

private struct Entry {
    let key: InternalKey
    let value: [UInt8]
    var encodedKey: [UInt8] { key.encoded }
}

private func add(_ table: Memtable, _ key: [UInt8], _ sequence: SequenceNumber, _ kind: ValueKind, _ value: [UInt8]) {
    key.withUnsafeBytes { k in
        value.withUnsafeBytes { v in table.add(sequence: sequence, kind: kind, key: k, value: v) }
    }
}

private func get(_ table: Memtable, _ key: [UInt8], at sequence: SequenceNumber) -> MemtableLookup? {
    key.withUnsafeBytes { table.get($0, atSequence: sequence) }
}

private func seek(_ iterator: MemtableIterator, _ target: [UInt8], forPrev: Bool) throws {
    try target.withUnsafeBytes { forPrev ? try iterator.seekForPrev($0) : try iterator.seek($0) }
}

/// A value that names its own key and sequence, so a reader can detect a torn entry.
private func selfDescribingValue(_ key: [UInt8], _ sequence: SequenceNumber, padding: Int) -> [UInt8] {
    var value = [UInt8]()
    value.appendFixed32(UInt32(key.count))
    value.append(contentsOf: key)
    value.appendFixed64(sequence)
    value.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: sequence), count: padding))
    return value
}

/// Checks a value made by `selfDescribingValue` against the entry it was found under.
private func valueDescribes(_ value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer, sequence: SequenceNumber) -> Bool {
    guard value.count >= 12 + key.count, Int(readFixed32(value, at: 0)) == key.count else { return false }
    let storedKey = UnsafeRawBufferPointer(rebasing: value[4..<(4 + key.count)])
    guard ByteOrder.compare(storedKey, key) == 0, readFixed64(value, at: 4 + key.count) == sequence else { return false }
    let fill = UInt8(truncatingIfNeeded: sequence)
    return value[(12 + key.count)...].allSatisfy { $0 == fill }
}

/// 10k random keys with 1–4 versions each (puts and tombstones), inserted in
/// shuffled order, with globally unique sequences.
private func randomEntries(seed: UInt64) -> [Entry] {
    var rng = SeededGenerator(seed: seed)
    var keys = Set<[UInt8]>()
    while keys.count < 10_000 {
        let length = Int.random(in: 0...12, using: &rng)
        keys.insert((0..<length).map { _ in UInt8.random(in: 0...7, using: &rng) })
    }
    var sequences = Array(SequenceNumber(1)...SequenceNumber(40_000)).shuffled(using: &rng)
    var entries = [Entry]()
    for key in keys {
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let sequence = sequences.removeLast()
            let kind: ValueKind = Int.random(in: 0..<5, using: &rng) == 0 ? .delete : .put
            let value = kind == .delete ? [] : selfDescribingValue(key, sequence, padding: Int.random(in: 0...40, using: &rng))
            entries.append(Entry(key: InternalKey(userKey: key, sequence: sequence, kind: kind), value: value))
        }
    }
    return entries.shuffled(using: &rng)
}

private func filled(_ entries: [Entry], chunkSize: Int = 4 << 20) -> Memtable {
    let table = Memtable(chunkSize: chunkSize)
    for e in entries { add(table, e.key.userKey, e.key.sequence, e.key.kind, e.value) }
    return table
}

/// The reference answer to a lookup: newest version of `key` with sequence ≤ `sequence`,
/// given each key's versions newest first.
private func referenceLookup(_ versions: [[UInt8]: [Entry]], _ key: [UInt8], _ sequence: SequenceNumber) -> MemtableLookup? {
    guard let e = versions[key, default: []].first(where: { $0.key.sequence <= sequence }) else { return nil }
    return e.key.kind == .delete ? .deleted(sequence: e.key.sequence) : .value(e.value, sequence: e.key.sequence)
}

/// The index of the first entry of `sorted` for which `isAfter` holds (it must hold for a suffix).
private func partitionIndex(_ sorted: [Entry], _ isAfter: (InternalKey) -> Bool) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if isAfter(sorted[mid].key) { high = mid } else { low = mid + 1 }
    }
    return low
}

@Test func iteratesRandomVersionsInInternalKeyOrderBothWays() throws {
    let entries = randomEntries(seed: 42)
    let sorted = entries.sorted { $0.key < $1.key }
    let table = filled(entries, chunkSize: 64 << 10)
    #expect(table.entryCount == entries.count)
    #expect(!table.isEmpty)

    let iterator = table.makeIterator()
    var index = 0
    try iterator.seekToFirst()
    while iterator.isValid {
        try #require(index < sorted.count)
        #expect(Array(iterator.key) == sorted[index].encodedKey)
        #expect(Array(iterator.value) == sorted[index].value)
        index += 1
        try iterator.next()
    }
    #expect(index == sorted.count)

    try iterator.seekToLast()
    index = sorted.count - 1
    while iterator.isValid {
        try #require(index >= 0)
        #expect(Array(iterator.key) == sorted[index].encodedKey)
        #expect(Array(iterator.value) == sorted[index].value)
        index -= 1
        try iterator.prev()
    }
    #expect(index == -1)
}

@Test func getAnswersAtEverySequenceIncludingAbsentNewerAndDeleted() throws {
    let entries = randomEntries(seed: 7)
    let sorted = entries.sorted { $0.key < $1.key }
    let table = filled(entries)
    let byKey = Dictionary(grouping: sorted, by: \.key.userKey)
    var rng = SeededGenerator(seed: 99)
    for _ in 0..<3_000 {
        let e = sorted[Int.random(in: 0..<sorted.count, using: &rng)]
        for sequence in [e.key.sequence, e.key.sequence - 1, e.key.sequence + 1, 0, maxSequenceNumber, SequenceNumber.max] {
            #expect(get(table, e.key.userKey, at: sequence) == referenceLookup(byKey, e.key.userKey, sequence))
        }
    }
    #expect(get(table, Array("absent-key-longer-than-any".utf8), at: maxSequenceNumber) == nil)

    let small = Memtable()
    add(small, [1, 2], 10, .put, [0xAA])
    add(small, [1, 2], 20, .delete, [])
    add(small, [1, 2], 30, .put, [0xBB, 0xCC])
    #expect(get(small, [1, 2], at: 9) == nil)
    #expect(get(small, [1, 2], at: 10) == .value([0xAA], sequence: 10))
    #expect(get(small, [1, 2], at: 25) == .deleted(sequence: 20))
    #expect(get(small, [1, 2], at: 31) == .value([0xBB, 0xCC], sequence: 30))
    #expect(get(small, [1], at: 31) == nil)
    #expect(get(small, [1, 2, 0], at: 31) == nil)
}

@Test func versionsListsVisibleHistoryNewestFirst() {
    let table = Memtable()
    add(table, [5], 3, .put, [3])
    add(table, [5], 1, .put, [1])
    add(table, [4], 2, .put, [9])
    add(table, [5], 7, .delete, [])
    add(table, [5], 5, .put, [5])
    add(table, [6], 4, .put, [8])

    let five: [UInt8] = [5]
    let all = five.withUnsafeBytes { table.versions(of: $0, atSequence: 100) }
    #expect(all.map(\.sequence) == [7, 5, 3, 1])
    #expect(all.map(\.kind) == [.delete, .put, .put, .put])
    #expect(all.map(\.value) == [[], [5], [3], [1]])

    let older = five.withUnsafeBytes { table.versions(of: $0, atSequence: 4) }
    #expect(older.map(\.sequence) == [3, 1])
    #expect(five.withUnsafeBytes { table.versions(of: $0, atSequence: 0) }.isEmpty)
    #expect([UInt8(7)].withUnsafeBytes { table.versions(of: $0, atSequence: 100) }.isEmpty)
}

@Test func seekAndSeekForPrevMatchReferenceForPresentAndAbsentTargets() throws {
    let entries = randomEntries(seed: 1234)
    let sorted = entries.sorted { $0.key < $1.key }
    let table = filled(entries)
    let iterator = table.makeIterator()
    var rng = SeededGenerator(seed: 5)
    for round in 0..<4_000 {
        let target: InternalKey
        if round % 2 == 0 {
            target = sorted[Int.random(in: 0..<sorted.count, using: &rng)].key
        } else {
            let length = Int.random(in: 0...13, using: &rng)
            target = InternalKey(
                userKey: (0..<length).map { _ in UInt8.random(in: 0...8, using: &rng) },
                sequence: SequenceNumber.random(in: 0...40_001, using: &rng),
                kind: Bool.random(using: &rng) ? .put : .delete)
        }
        let firstAtOrAfter = partitionIndex(sorted) { !($0 < target) }
        try seek(iterator, target.encoded, forPrev: false)
        if firstAtOrAfter < sorted.count {
            let i = firstAtOrAfter
            #expect(iterator.isValid && Array(iterator.key) == sorted[i].encodedKey)
        } else {
            #expect(!iterator.isValid)
        }

        let lastAtOrBefore = partitionIndex(sorted) { target < $0 } - 1
        try seek(iterator, target.encoded, forPrev: true)
        if lastAtOrBefore >= 0 {
            let i = lastAtOrBefore
            #expect(iterator.isValid && Array(iterator.key) == sorted[i].encodedKey)
            #expect(iterator.isValid && Array(iterator.value) == sorted[i].value)
        } else {
            #expect(!iterator.isValid)
        }
    }
}

@Test func emptyMemtableHasNoEntries() throws {
    let table = Memtable()
    #expect(table.isEmpty)
    #expect(table.entryCount == 0)
    #expect(get(table, [1], at: maxSequenceNumber) == nil)
    #expect([UInt8(1)].withUnsafeBytes { table.versions(of: $0, atSequence: maxSequenceNumber) }.isEmpty)
    let iterator = table.makeIterator()
    #expect(!iterator.isValid)
    try iterator.seekToFirst()
    #expect(!iterator.isValid)
    try iterator.seekToLast()
    #expect(!iterator.isValid)
    let target = InternalKey(userKey: [1], sequence: 1, kind: .put).encoded
    try seek(iterator, target, forPrev: false)
    #expect(!iterator.isValid)
    try seek(iterator, target, forPrev: true)
    #expect(!iterator.isValid)
}

@Test func storesEntryLargerThanChunkAndKeepsSmallEntriesAround() throws {
    let table = Memtable(chunkSize: 1 << 20)
    let big = (0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    add(table, [1], 1, .put, [0x11])
    add(table, [2], 2, .put, big)
    add(table, [3], 3, .put, [0x33])
    #expect(table.approximateMemoryUsage >= big.count)
    #expect(get(table, [2], at: 10) == .value(big, sequence: 2))
    #expect(get(table, [1], at: 10) == .value([0x11], sequence: 1))
    #expect(get(table, [3], at: 10) == .value([0x33], sequence: 3))

    let iterator = table.makeIterator()
    try seek(iterator, InternalKey(userKey: [2], sequence: 2, kind: .put).encoded, forPrev: false)
    try #require(iterator.isValid)
    #expect(iterator.value.count == big.count)
    #expect(iterator.value.elementsEqual(big))
    try iterator.prev()
    #expect(iterator.isValid && Array(iterator.key) == InternalKey(userKey: [1], sequence: 1, kind: .put).encoded)
}

@Test func memoryUsageGrowsWithEveryEntry() {
    let table = Memtable(chunkSize: 4096)
    var previous = table.approximateMemoryUsage
    var rng = SeededGenerator(seed: 3)
    for sequence in 1...5_000 {
        let length = Int.random(in: 1...16, using: &rng)
        let key = rng.bytes(length)
        let value = [UInt8](repeating: 1, count: Int.random(in: 0...3_000, using: &rng))
        add(table, key, SequenceNumber(sequence), .put, value)
        let usage = table.approximateMemoryUsage
        #expect(usage >= previous + key.count + value.count)
        previous = usage
    }
}

/// Shared state for the concurrency test.
private final class ConcurrencyState: Sendable {
    let started = Atomic<Int>(0)
    let writerDone = Atomic<Bool>(false)
    let failures = Mutex<[String]>([])
    let readerPasses = Atomic<Int>(0)
    let finished = DispatchGroup()

    func fail(_ message: String) {
        failures.withLock { if $0.count < 20 { $0.append(message) } }
    }

    /// Runs `body` on a new thread once all `threads` threads have started, so they truly overlap.
    func spawn(threads: Int, _ body: @escaping @Sendable () -> Void) {
        finished.enter()
        Thread {
            self.started.wrappingAdd(1, ordering: .relaxed)
            while self.started.load(ordering: .relaxed) < threads {}
            body()
            self.finished.leave()
        }.start()
    }
}

/// The user key of the i-th written entry: 2000 distinct keys, each written many times.
private func concurrentKey(_ i: Int) -> [UInt8] {
    let k = UInt32(truncatingIfNeeded: (i &* 7919) % 2_000)
    var key = Array("key-".utf8)
    key.appendFixed32(k.bigEndian)
    return key
}

/// Walks the whole memtable forwards (or backwards) checking order and entry integrity.
private func verifyWalk(_ table: Memtable, backwards: Bool, _ state: ConcurrencyState) throws {
    let iterator = table.makeIterator()
    var previous: [UInt8]?
    if backwards { try iterator.seekToLast() } else { try iterator.seekToFirst() }
    while iterator.isValid {
        let key = Array(iterator.key)
        if let previous {
            let order = key.withUnsafeBytes { k in previous.withUnsafeBytes { p in compareEncodedInternalKeys(p, k) } }
            if backwards ? order <= 0 : order >= 0 {
                state.fail("out of order: \(Hex.encode(previous)) then \(Hex.encode(key))")
            }
        }
        let (userKey, trailer) = try #require(splitInternalKey(iterator.key))
        if !valueDescribes(iterator.value, key: userKey, sequence: trailer >> 8) {
            state.fail("torn entry under \(Hex.encode(key))")
        }
        previous = key
        if backwards { try iterator.prev() } else { try iterator.next() }
    }
}

@Test func readersSeeSortedWholeEntriesWhileOneWriterInserts() throws {
    let table = Memtable(chunkSize: 256 << 10)
    let state = ConcurrencyState()
    let writes = 50_000
    let readers = 3

    state.spawn(threads: readers + 1) {
        for i in 0..<writes {
            let key = concurrentKey(i)
            let sequence = SequenceNumber(i + 1)
            add(table, key, sequence, .put, selfDescribingValue(key, sequence, padding: i % 97))
        }
        state.writerDone.store(true, ordering: .releasing)
    }
    for reader in 0..<readers {
        state.spawn(threads: readers + 1) {
            var rng = SeededGenerator(seed: UInt64(reader + 1))
            repeat {
                do {
                    try verifyWalk(table, backwards: reader == 2, state)
                } catch {
                    state.fail("walk threw \(error)")
                }
                for _ in 0..<200 {
                    let key = concurrentKey(Int.random(in: 0..<writes, using: &rng))
                    let asked = SequenceNumber.random(in: 0...SequenceNumber(writes + 1), using: &rng)
                    switch get(table, key, at: asked) {
                    case .value(let value, let sequence):
                        let intact = value.withUnsafeBytes { v in
                            key.withUnsafeBytes { valueDescribes(v, key: $0, sequence: sequence) }
                        }
                        if !intact || sequence > asked { state.fail("bad get of \(Hex.encode(key))@\(asked)") }
                    case .deleted:
                        state.fail("unexpected tombstone")
                    case nil:
                        break
                    }
                }
                state.readerPasses.wrappingAdd(1, ordering: .relaxed)
            } while !state.writerDone.load(ordering: .acquiring)
        }
    }
    state.finished.wait()

    #expect(state.failures.withLock { $0 } == [])
    #expect(state.readerPasses.load(ordering: .relaxed) >= 3)
    #expect(table.entryCount == writes)
    try verifyWalk(table, backwards: false, state)
    try verifyWalk(table, backwards: true, state)
    #expect(state.failures.withLock { $0 } == [])
}
