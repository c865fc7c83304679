import ScribeBytes

/// Renders a segment file as text lines, for `scribe-kv dump-segment`.
package enum SegmentDump {
    /// Emits the footer, the properties, the index and every entry of the segment
    /// at `path` (keys in hex, sequence, kind, value length and up to
    /// `valuePreview` value bytes in hex), one line per `emit` call. Opens the
    /// segment with all of `SegmentReader.open`'s checks; throws what a read throws.
    package static func dump(path: String, valuePreview: Int = 16, emit: (String) -> Void) throws {
        let reader = try SegmentReader.open(path: path, fileSystem: PosixFileSystem())
        let f = reader.footer
        func describe(_ h: BlockHandle) -> String { "offset=\(h.offset) size=\(h.size)" }
        emit("segment \(path) (\(reader.fileSize) bytes)")
        emit("footer: version=\(f.formatVersion) index[\(describe(f.index))] filter[\(describe(f.filter))] "
            + "block-roots[\(describe(f.blockRoots))] properties[\(describe(f.properties))]")
        let p = reader.properties
        emit("properties: id=\(p.id) level=\(p.level) entries=\(p.entryCount) blocks=\(p.blockCount) "
            + "data-size=\(p.dataSize) compression=\(p.compression) created-ms=\(p.creationTime)")
        emit("properties: smallest=\(p.smallestKey) largest=\(p.largestKey) "
            + "sequences=\(p.smallestSequence)...\(p.largestSequence)")
        emit("properties: root=\(Hex.encode(p.root))")
        for b in 0..<reader.blockCount {
            emit("index \(b): key=\(Hex.encode(reader.indexKey(b))) \(describe(reader.blockHandles[b])) "
                + "entries=\(reader.blocks[b].entryCount) root=\(Hex.encode(reader.blocks[b].root))")
        }
        for b in 0..<reader.blockCount {
            let block = try reader.readDataBlock(b)
            emit("block \(b): raw-size=\(block.bytes.count) restarts=\(block.restartCount)")
            let it = block.makeIterator()
            try it.seekToFirst()
            while it.isValid {
                if let (userKey, trailer) = splitInternalKey(it.key) {
                    let kind = trailer & 0xFF == UInt64(ValueKind.put.rawValue) ? "put" : "del"
                    let value = it.value
                    let preview = Hex.encode(value.prefix(valuePreview)) + (value.count > valuePreview ? "…" : "")
                    emit("  key=\(Hex.encode(userKey)) seq=\(trailer >> 8) kind=\(kind) value-length=\(value.count) value=\(preview)")
                }
                try it.next()
            }
        }
    }
}
