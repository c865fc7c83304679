import Foundation
import ScribeObjects
import ScribeTestSupport
import ScribeTierTestSupport
@testable import LSMEngine
@testable import ScribeDistributed

/// A real segment file written by the engine: its manifest record and its bytes.
struct SegmentFile: Sendable {
    let metadata: SegmentMetadata
    let bytes: [UInt8]

    /// What a read of `count` bytes at `offset` must return.
    func expected(at offset: UInt64, count: Int) -> [UInt8] {
        let start = min(Int(offset), bytes.count)
        return Array(bytes[start..<min(start + count, bytes.count)])
    }
}

/// `count` level-0 segments of `keys` entries each (older first), written by an
/// engine in a temporary directory: each one a flush of its own keys.
func makeSegments(count: Int, keys: Int = 2000, seed: UInt64 = 1) throws -> [SegmentFile] {
    let directory = try TemporaryDirectory("engine")
    var options = StoreOptions()
    options.memtableSize = 16 << 20
    options.blockSize = 512
    options.automaticCompaction = false
    let store = try LSMStore.open(at: directory.path, options: options)
    var random = SeededGenerator(seed: seed)
    for s in 0..<count {
        for i in 0..<keys {
            let value = random.bytes(40)
            _ = try store.put(Array("segment-\(s)-key-\(i)".utf8), value, options: .buffered)
        }
        try store.flush()
    }
    let segments = try store.verifyIntegrity().segments.sorted { $0.largestSequence < $1.largestSequence }
    try store.close()
    return try segments.map { metadata in
        guard let data = FileManager.default.contents(atPath: directory.file(metadata.id.fileName)) else {
            throw LSMError.io(operation: "read", path: directory.file(metadata.id.fileName), errno: 0)
        }
        return SegmentFile(metadata: metadata, bytes: [UInt8](data))
    }
}

/// An object store holding `segments` under their object keys.
func storeHolding(_ segments: [SegmentFile]) -> FaultInjectingObjectStore {
    let store = FaultInjectingObjectStore()
    for segment in segments { store.preload(ObjectKeys.segment(segment.metadata.id), segment.bytes) }
    return store
}

/// Settings with a tail window of `tailWindow` bytes and a short read timeout.
func settings(tailWindow: UInt64 = 4096, readTimeout: Duration = .seconds(30)) -> ObjectSegmentSettings {
    var settings = ObjectSegmentSettings()
    settings.tailWindow = tailWindow
    settings.readTimeout = readTimeout
    return settings
}

/// Reads through `source` as `SegmentReader` opens a segment: the footer, then
/// the metadata blocks from the filter up to the footer in one read and each
/// one alone. Returns the footer.
@discardableResult
func openLikeTheEngine(_ source: any SegmentSource) throws -> SegmentFooter {
    let footerOffset = source.size - UInt64(SegmentFooter.size)
    let footer = try SegmentFooter.decode(
        try source.read(at: footerOffset, count: SegmentFooter.size), file: "remote", offset: footerOffset)
    _ = try source.read(at: footer.filter.offset, count: Int(footerOffset - footer.filter.offset))
    for handle in [footer.index, footer.filter, footer.blockRoots, footer.properties] {
        _ = try source.read(at: handle.offset, count: Int(handle.size) + 5)
    }
    return footer
}

/// Writes `bytes` into `cache` as the file of a made-up segment named `name`.
@discardableResult
func cacheFile(_ cache: SegmentCache, _ name: String, bytes: [UInt8]) throws -> Bool {
    let id = try segmentID(name)
    guard let writer = try cache.makeWriter(for: id, size: UInt64(bytes.count)) else { return false }
    try writer.write(bytes, at: 0)
    try writer.commit()
    return true
}

/// The id `name`, which the test chose to be valid.
func segmentID(_ name: String) throws -> SegmentID {
    guard let id = SegmentID(rawValue: name) else { throw LSMError.invalidArgument("segment id \(name)") }
    return id
}

func isUnavailable(_ error: any Error) -> Bool {
    if case LSMError.unavailable = error { return true }
    return false
}

func isCorruption(_ error: any Error) -> Bool {
    if case LSMError.corruption = error { return true }
    return false
}

/// The error `body` throws, or nil.
func thrownError(_ body: () throws -> Void) -> (any Error)? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

/// A sum many threads add to.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = 0

    func add(_ n: Int) {
        lock.lock()
        sum += n
        lock.unlock()
    }

    var total: Int {
        lock.lock()
        defer { lock.unlock() }
        return sum
    }
}
