import LSMEngine

/// The bytes of one segment held in the object store, read through an
/// `ObjectSegmentProvider` (see there for the order reads are served in).
///
/// The tail window lives from the first read near the end of the file until
/// the first read it cannot serve (opening is over then) or the first cache
/// hit, so an open segment keeps at most about `tailWindow` bytes plus its
/// metadata blocks in memory, and only while it is being opened or read near
/// its end. A window that holds the whole file is also written into the cache.
final class ObjectSegmentSource: SegmentSource {
    private enum Tail {
        case notFetched
        /// The file's bytes from `start` to its end.
        case held(start: UInt64, bytes: [UInt8])
        case released
    }

    let size: UInt64
    private let segment: SegmentMetadata
    private let provider: ObjectSegmentProvider
    private let tail = Locked(Tail.notFetched)

    init(segment: SegmentMetadata, provider: ObjectSegmentProvider) {
        self.segment = segment
        self.provider = provider
        size = segment.fileSize
    }

    /// Exactly `count` bytes at `offset`, or fewer only at the end of the file.
    /// May block for an object-store round trip; throws `LSMError.unavailable`
    /// when the store fails or times out, `.corruption` when the object's size
    /// differs from the manifest's, `.io` when the cached file cannot be read.
    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        let end = offset + min(UInt64(count), size - offset)
        if let bytes = try provider.cachedBytes(of: segment, at: offset, count: Int(end - offset)) {
            tail.withLock { $0 = .released }
            return bytes
        }
        let windowStart = size - min(size, provider.settings.tailWindow)
        switch tail.withLock({ $0 }) {
        case let .held(start, bytes) where offset >= start:
            return Array(bytes[Int(offset - start)..<Int(end - start)])
        case .notFetched where offset >= windowStart:
            let (start, bytes) = try fetchTail(from: windowStart)
            return Array(bytes[Int(offset - start)..<Int(end - start)])
        default:
            tail.withLock { $0 = .released }
            let bytes = try provider.fetch(segment, offset..<end)
            provider.missed(segment)
            return bytes
        }
    }

    /// Fetches the file from `start` to its end, and further down to the first
    /// metadata block when the footer names one below `start`; keeps the bytes
    /// as the tail window (unless another read installed a larger one or
    /// released it meanwhile) and returns them with their offset.
    private func fetchTail(from start: UInt64) throws -> (UInt64, [UInt8]) {
        var start = start
        var bytes = try provider.fetch(segment, start..<size)
        if let metadataStart = Self.metadataStart(footer: bytes.suffix(64), fileSize: size), metadataStart < start {
            bytes = try provider.fetch(segment, metadataStart..<start) + bytes
            start = metadataStart
        }
        let fetched = (start, bytes)
        tail.withLock { tail in
            switch tail {
            case .notFetched: tail = .held(start: start, bytes: bytes)
            case let .held(held, _) where held > start: tail = .held(start: start, bytes: bytes)
            case .held, .released: break
            }
        }
        if start == 0 { provider.keep(segment, bytes: bytes) }
        return fetched
    }

    /// Where the filter block, the first metadata block, starts according to
    /// `footer` (docs/formats.md, Footer: the filter handle's `fixed64le`
    /// offset at byte 12), or nil when the bytes do not look like a footer of
    /// this format version. Only a hint for how much to fetch: the engine
    /// checks the footer itself.
    private static func metadataStart(footer: ArraySlice<UInt8>, fileSize: UInt64) -> UInt64? {
        guard footer.count == 64, fileSize >= 64 else { return nil }
        func fixed(_ at: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(footer[footer.startIndex + at + $1]) << (8 * $1) }
        }
        guard fixed(56, 8) == 0x3147_4553_4252_4353, fixed(48, 4) == UInt64(segmentFormatVersion) else { return nil }
        let offset = fixed(12, 8)
        return offset < fileSize - 64 ? offset : nil
    }
}
