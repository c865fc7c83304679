import ScribeBytes

/// Walks the live keys of a store view in key order (or reverse), yielding for
/// each user key its newest version visible at the iterator's sequence, and
/// skipping keys whose newest visible version is a tombstone.
public final class StoreIterator {
    private let source: InternalIterator
    /// Holds the segments the iterator reads, so compaction cannot delete them under it.
    private let view: ReadView
    private let sequence: SequenceNumber
    private let start: [UInt8]?
    private let end: [UInt8]?
    private let prefix: [UInt8]?
    private let reverse: Bool
    private var finished = false
    /// Forward: the user key whose newest visible version was already taken.
    private var skipKey: [UInt8]?

    init(source: InternalIterator, scan: ScanOptions, sequence: SequenceNumber, view: ReadView) throws {
        self.source = source
        self.view = view
        self.sequence = sequence
        self.reverse = scan.reverse
        self.prefix = scan.prefix
        var start = scan.start
        var end = scan.end
        if let prefix = scan.prefix {
            if start.map({ ByteOrder.compare($0, prefix) < 0 }) ?? true { start = prefix }
            if let successor = StoreIterator.successor(of: prefix), end.map({ ByteOrder.compare($0, successor) > 0 }) ?? true {
                end = successor
            }
        }
        self.start = start
        self.end = end
        if reverse {
            if let end {
                let target = end + [UInt8](repeating: 0xFF, count: 8)
                try target.withUnsafeBytes { try source.seekForPrev($0) }
            } else {
                try source.seekToLast()
            }
        } else if let start {
            let target = InternalKey(userKey: start, sequence: maxSequenceNumber, kind: .put).encoded
            try target.withUnsafeBytes { try source.seek($0) }
        } else {
            try source.seekToFirst()
        }
    }

    /// The smallest key greater than every key starting with `prefix`, or nil
    /// when there is none (the prefix is all 0xFF bytes).
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }

    /// The next live entry, or nil when the range is exhausted.
    public func next() throws -> StoreEntry? {
        guard !finished else { return nil }
        let entry = reverse ? try nextBackward() : try nextForward()
        if entry == nil { finished = true }
        return entry
    }

    private func currentParts() throws -> (userKey: UnsafeRawBufferPointer, sequence: SequenceNumber, kind: UInt8) {
        guard let parts = splitInternalKey(source.key) else {
            throw LSMError.corruption(file: "iterator", offset: 0, reason: "internal key shorter than 8 bytes")
        }
        return (parts.userKey, parts.trailer >> 8, UInt8(truncatingIfNeeded: parts.trailer))
    }

    private func inRange(_ userKey: UnsafeRawBufferPointer) -> Bool {
        if let prefix, !prefix.withUnsafeBytes({ p in userKey.starts(with: p) }) { return false }
        return true
    }

    private func nextForward() throws -> StoreEntry? {
        while source.isValid {
            let (userKey, seq, kind) = try currentParts()
            if let end, end.withUnsafeBytes({ ByteOrder.compare(userKey, $0) }) >= 0 { return nil }
            if !inRange(userKey) { return nil }
            if seq > sequence || (skipKey.map { k in k.withUnsafeBytes { ByteOrder.compare(userKey, $0) == 0 } } ?? false) {
                try source.next()
                continue
            }
            let key = Array(userKey)
            skipKey = key
            let entry = kind == ValueKind.put.rawValue ? StoreEntry(key: key, value: Array(source.value), sequence: seq) : nil
            try source.next()
            if let entry { return entry }
        }
        return nil
    }

    private func nextBackward() throws -> StoreEntry? {
        while source.isValid {
            let key = Array(try currentParts().userKey)
            if let start, ByteOrder.compare(key, start) < 0 { return nil }
            if !key.withUnsafeBytes({ inRange($0) }) { return nil }
            var newest: (sequence: SequenceNumber, kind: UInt8, value: [UInt8])?
            while source.isValid {
                let (userKey, seq, kind) = try currentParts()
                guard key.withUnsafeBytes({ ByteOrder.compare(userKey, $0) }) == 0 else { break }
                if seq <= sequence { newest = (seq, kind, Array(source.value)) }
                try source.prev()
            }
            if let newest, newest.kind == ValueKind.put.rawValue {
                return StoreEntry(key: key, value: newest.value, sequence: newest.sequence)
            }
        }
        return nil
    }
}
