/// An atomic group of puts and deletes: all of it becomes visible at once, with
/// consecutive sequence numbers in the order the operations were added.
///
/// The batch keeps its WAL encoding as it grows (LevelDB's layout), so
/// committing it costs no re-encoding:
/// `fixed64le(first sequence) ‖ fixed32le(count) ‖ record*` where a record is
/// `kind(1) ‖ varint(len key) ‖ key` followed, for puts, by `varint(len value) ‖ value`.
public struct WriteBatch: Sendable {
    static let headerSize = 12

    private(set) var encoded: [UInt8]
    /// The number of operations.
    public private(set) var count: Int = 0
    /// The largest key and value sizes seen, checked against the store's limits at commit.
    private(set) var largestKey = 0
    private(set) var smallestKey = Int.max
    private(set) var largestValue = 0

    public init() {
        encoded = [UInt8](repeating: 0, count: WriteBatch.headerSize)
    }

    /// A batch as committed elsewhere: a WAL record payload whose header already
    /// carries its first sequence. Throws `.corruption` when `encoded` does not decode.
    init(committed encoded: [UInt8], origin: String) throws {
        self.encoded = encoded
        var count = 0
        var largestKey = 0
        var smallestKey = Int.max
        var largestValue = 0
        try WriteBatch.forEach(encoded: encoded, file: origin, offset: 0) { _, op in
            count += 1
            largestKey = max(largestKey, op.key.count)
            smallestKey = min(smallestKey, op.key.count)
            largestValue = max(largestValue, op.value.count)
        }
        guard count > 0 else { throw LSMError.corruption(file: origin, offset: 0, reason: "an empty committed batch") }
        self.count = count
        self.largestKey = largestKey
        self.smallestKey = smallestKey
        self.largestValue = largestValue
    }

    /// Adds a put of `value` under `key`.
    @inlinable
    public mutating func put(_ key: some Collection<UInt8>, _ value: some Collection<UInt8>) {
        appendPut(Array(key), Array(value))
    }

    /// Adds a tombstone for `key`.
    @inlinable
    public mutating func delete(_ key: some Collection<UInt8>) {
        appendDelete(Array(key))
    }

    @usableFromInline
    mutating func appendPut(_ key: [UInt8], _ value: [UInt8]) {
        encoded.append(ValueKind.put.rawValue)
        encoded.appendLengthPrefixed(key)
        encoded.appendLengthPrefixed(value)
        noteSizes(key: key.count, value: value.count)
    }

    @usableFromInline
    mutating func appendDelete(_ key: [UInt8]) {
        encoded.append(ValueKind.delete.rawValue)
        encoded.appendLengthPrefixed(key)
        noteSizes(key: key.count, value: 0)
    }

    private mutating func noteSizes(key: Int, value: Int) {
        count += 1
        largestKey = max(largestKey, key)
        smallestKey = min(smallestKey, key)
        largestValue = max(largestValue, value)
        encoded.withUnsafeMutableBytes { p in
            p.storeBytes(of: UInt32(count).littleEndian, toByteOffset: 8, as: UInt32.self)
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// Bytes of the encoding, used to bound group-commit size.
    var byteSize: Int { encoded.count }

    /// Throws if any key or value is outside the limits.
    func validate(maxKeySize: Int, maxValueSize: Int) throws {
        guard count > 0 else { return }
        if smallestKey < 1 { throw LSMError.invalidKeySize(size: smallestKey, limit: maxKeySize) }
        if largestKey > maxKeySize { throw LSMError.invalidKeySize(size: largestKey, limit: maxKeySize) }
        if largestValue > maxValueSize { throw LSMError.valueTooLarge(size: largestValue, limit: maxValueSize) }
    }

    /// Stamps the first sequence number into the header.
    mutating func setSequence(_ sequence: SequenceNumber) {
        encoded.withUnsafeMutableBytes { p in
            p.storeBytes(of: sequence.littleEndian, toByteOffset: 0, as: UInt64.self)
        }
    }

    /// One decoded operation; `key` and `value` index into the encoding.
    struct Operation {
        let kind: ValueKind
        let key: Range<Int>
        let value: Range<Int>
    }

    /// Walks an encoded batch (from the WAL, hence untrusted): yields each
    /// operation with its sequence, or throws corruption.
    static func forEach(
        encoded: [UInt8], file: String, offset: UInt64,
        _ body: (SequenceNumber, Operation) throws -> Void
    ) throws {
        var reader = ByteReader(encoded, file: file, baseOffset: offset)
        let first = try reader.readFixed64()
        let count = try reader.readFixed32()
        guard first <= maxSequenceNumber, first + SequenceNumber(count) <= maxSequenceNumber + 1 else {
            throw reader.corruption("batch sequences \(first)+\(count) exceed \(maxSequenceNumber)")
        }
        var seen: UInt32 = 0
        while !reader.isAtEnd {
            guard seen < count else { throw reader.corruption("batch holds more records than its count \(count)") }
            let kindByte = try reader.readByte()
            guard let kind = ValueKind(rawValue: kindByte) else {
                throw reader.corruption("unknown batch record kind \(kindByte)")
            }
            let keyLength = try reader.readVarintInt(limit: reader.remaining, what: "key length")
            let keyStart = reader.position
            _ = try reader.readBytes(keyLength)
            var value = reader.position..<reader.position
            if kind == .put {
                let valueLength = try reader.readVarintInt(limit: reader.remaining, what: "value length")
                value = reader.position..<(reader.position + valueLength)
                _ = try reader.readBytes(valueLength)
            }
            try body(first &+ SequenceNumber(seen), Operation(kind: kind, key: keyStart..<(keyStart + keyLength), value: value))
            seen += 1
        }
        guard seen == count else { throw reader.corruption("batch count \(count) but \(seen) records") }
    }

    /// The first sequence stamped into an encoded batch, and its record count.
    static func header(of encoded: [UInt8]) -> (sequence: SequenceNumber, count: Int)? {
        guard encoded.count >= headerSize else { return nil }
        return encoded.withUnsafeBytes { (readFixed64($0, at: 0), Int(readFixed32($0, at: 8))) }
    }
}

extension WriteBatch {
    /// Appends `other`'s operations after this batch's (group commit merges
    /// the group's batches into one WAL record this way).
    mutating func append(contentsOf other: WriteBatch) {
        encoded.append(contentsOf: other.encoded[WriteBatch.headerSize...])
        count += other.count
        largestKey = max(largestKey, other.largestKey)
        smallestKey = min(smallestKey, other.smallestKey)
        largestValue = max(largestValue, other.largestValue)
        encoded.withUnsafeMutableBytes { p in
            p.storeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian, toByteOffset: 8, as: UInt32.self)
        }
    }
}
