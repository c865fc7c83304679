/// The engine's parsers of stored bytes, exposed to the package's fuzzing
/// harnesses. Each parses hostile input exactly as the engine does when it
/// reads its own files, and either returns what it decoded or throws
/// `LSMError`; a trap, a hang or an unbounded allocation is a bug.
package enum UntrustedInput {
    /// One decoded entry: encoded internal key and value.
    package typealias Entry = (key: [UInt8], value: [UInt8])

    /// Opens a segment file and reads every entry forward, then backward.
    package static func segmentEntries(path: String) throws -> (forward: [Entry], backward: [Entry], entryCount: UInt64) {
        let reader = try SegmentReader.open(path: path)
        let iterator = reader.makeIterator()
        var forward: [Entry] = []
        try iterator.seekToFirst()
        while iterator.isValid {
            forward.append((Array(iterator.key), Array(iterator.value)))
            try iterator.next()
        }
        var backward: [Entry] = []
        try iterator.seekToLast()
        while iterator.isValid {
            backward.append((Array(iterator.key), Array(iterator.value)))
            try iterator.prev()
        }
        return (forward, backward, reader.metadata.entryCount)
    }

    /// Full verification of a segment file: checksums, order, Merkle roots, id.
    package static func verifySegment(path: String) throws {
        _ = try SegmentVerifier.verify(path: path)
    }

    /// Reads every record of a WAL file and decodes each as a write batch;
    /// returns the number of operations decoded.
    package static func walOperations(path: String, lenient: Bool) throws -> Int {
        var reader = try WALReader(path: path, mode: lenient ? .skipCorruption : .strict)
        var operations = 0
        while let record = try reader.next() {
            try WriteBatch.forEach(encoded: record.payload, file: path, offset: record.offset) { _, _ in operations += 1 }
        }
        return operations
    }

    /// Parses MANIFEST bytes and decodes every version edit; returns how many.
    package static func manifestEdits(_ bytes: [UInt8]) throws -> Int {
        let contents = try ManifestLog.parse(bytes, file: "MANIFEST")
        for record in contents.records {
            _ = try VersionEdit.decode(record.payload, file: "MANIFEST", offset: record.offset)
        }
        return contents.records.count
    }

    /// Three-way order of two encoded internal keys, as the engine sorts them.
    package static func compareInternalKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in compareEncodedInternalKeys(pa, pb) } }
    }
}
