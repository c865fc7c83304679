import CLSMSupport

/// A view of one skip-list node living in arena memory (layout in
/// docs/formats.md). `base` points at the node's header; its
/// next-pointer slots sit just below it, level `i` at `base - 8 * (i + 1)`, so
/// the header and key are at a fixed offset whatever the node's height.
///
/// ```
/// [slot h-1] … [slot 1] [slot 0] | trailer u64 | keyLen u32 | valueLen u32 | key | fixed64le(trailer) | value
///                                ^ base
/// ```
///
/// The struct is a bare pointer: copying it costs nothing and it holds no reference.
struct SkipListNode: Equatable {
    /// Bytes of the header before the key: trailer (8), key length (4), value length (4).
    static let headerSize = 16
    /// Bytes of one next-pointer slot.
    static let slotSize = MemoryLayout<UnsafeMutableRawPointer?>.stride

    let base: UnsafeMutableRawPointer

    /// The arena bytes a node of this height and these sizes occupies (before rounding).
    static func byteCount(height: Int, keyLength: Int, valueLength: Int) -> Int {
        height * slotSize + headerSize + keyLength + 8 + valueLength
    }

    /// Lays out a node in `memory` (at least `byteCount(...)` bytes, 8-byte
    /// aligned): null links, header, key, little-endian trailer, value. The node
    /// is not reachable by anyone until it is linked in.
    static func initialize(
        in memory: UnsafeMutableRawPointer, height: Int, trailer: UInt64,
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer
    ) -> SkipListNode {
        memory.initializeMemory(as: UnsafeMutableRawPointer?.self, repeating: nil, count: height)
        let base = memory + height * slotSize
        base.storeBytes(of: trailer, as: UInt64.self)
        base.storeBytes(of: UInt32(key.count), toByteOffset: 8, as: UInt32.self)
        base.storeBytes(of: UInt32(value.count), toByteOffset: 12, as: UInt32.self)
        let keyStart = base + headerSize
        if let source = key.baseAddress, key.count > 0 {
            keyStart.copyMemory(from: source, byteCount: key.count)
        }
        (keyStart + key.count).storeBytes(of: trailer.littleEndian, as: UInt64.self)
        if let source = value.baseAddress, value.count > 0 {
            (keyStart + key.count + 8).copyMemory(from: source, byteCount: value.count)
        }
        return SkipListNode(base: base)
    }

    /// `sequence << 8 | kind`.
    var trailer: UInt64 { base.load(as: UInt64.self) }

    var keyLength: Int { Int(base.load(fromByteOffset: 8, as: UInt32.self)) }

    var valueLength: Int { Int(base.load(fromByteOffset: 12, as: UInt32.self)) }

    /// The user key bytes, in place.
    var userKey: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + SkipListNode.headerSize, count: keyLength)
    }

    /// `userKey ‖ fixed64le(trailer)`, contiguous, in place.
    var internalKey: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + SkipListNode.headerSize, count: keyLength + 8)
    }

    /// The value bytes, in place (empty for tombstones).
    var value: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + SkipListNode.headerSize + keyLength + 8, count: valueLength)
    }

    private func slot(_ level: Int) -> UnsafeMutablePointer<UnsafeMutableRawPointer?> {
        (base - (level + 1) * SkipListNode.slotSize).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
    }

    /// The successor at `level`, acquire-loaded: the successor's contents are
    /// fully visible to the caller.
    func next(_ level: Int) -> SkipListNode? {
        clsm_load_acquire(slot(level)).map(SkipListNode.init(base:))
    }

    /// The successor at `level`, relaxed; only for the writer, which wrote every link itself.
    func nextRelaxed(_ level: Int) -> SkipListNode? {
        clsm_load_relaxed(slot(level)).map(SkipListNode.init(base:))
    }

    /// Starts loading the successor at `level` into the cache: a search that
    /// moves to this node compares that successor next.
    @inline(__always)
    func prefetchNext(_ level: Int) {
        clsm_prefetch(clsm_load_relaxed(slot(level)))
    }

    /// Publishes `node` as the successor at `level` with a release store.
    func setNext(_ level: Int, _ node: SkipListNode?) {
        clsm_store_release(slot(level), node?.base)
    }

    /// Sets the successor at `level` without ordering; only for a node not yet published.
    func setNextRelaxed(_ level: Int, _ node: SkipListNode?) {
        clsm_store_relaxed(slot(level), node?.base)
    }
}
