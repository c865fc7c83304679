import LSMEngine

extension FuzzSupport {
    /// Well-formed segments made with the engine's own writer, and the checksum
    /// repair that lets a mutation reach the parsers behind the checksums: the
    /// seeds of `FuzzSegmentMutation` and of the fuzz regression tests.
    public enum SegmentFixture {
        /// Recomputes the checksum of the region of segment bytes `file` at
        /// `range` after an edit: the footer's CRC (bytes 52..<56 over 0..<52) when
        /// `footer`, else the block trailer's masked CRC32C over the stored bytes
        /// and kind byte. Lets a mutation reach the parsers behind the checksums.
        /// Does nothing when `range` does not fit `file` or is too short.
        public static func reseal(_ file: inout [UInt8], range: Range<Int>, footer: Bool) {
            guard range.lowerBound >= 0, range.upperBound <= file.count else { return }
            let checked: Range<Int>
            if footer {
                guard range.count == SegmentFooter.size else { return }
                checked = range.lowerBound..<(range.lowerBound + 52)
            } else {
                guard range.count >= BlockCodec.trailerSize else { return }
                checked = range.lowerBound..<(range.upperBound - 4)
            }
            let crc = CRC32C.mask(file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[checked])) })
            for i in 0..<4 { file[checked.upperBound + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        }

        /// Writes a well-formed segment into `directory` from `entries` (user key,
        /// sequence, put or delete, value), which it sorts and de-duplicates by
        /// internal key first; returns its path. Throws `.invalidArgument` for
        /// options `SegmentWriter` rejects or no entries.
        public static func build(
            directory: String, entries: [(userKey: [UInt8], sequence: UInt64, isPut: Bool, value: [UInt8])],
            blockSize: Int, restartInterval: Int, compressed: Bool, bloomBitsPerKey: Int
        ) throws -> String {
            var keyed: [(key: InternalKey, value: [UInt8])] = []
            for e in entries {
                keyed.append((InternalKey(userKey: e.userKey, sequence: e.sequence & maxSequenceNumber, kind: e.isPut ? .put : .delete), e.value))
            }
            keyed.sort { $0.key < $1.key }
            var unique: [(key: InternalKey, value: [UInt8])] = []
            for e in keyed where unique.last.map({ $0.key.userKey != e.key.userKey || $0.key.sequence != e.key.sequence }) ?? true {
                unique.append(e)
            }
            guard !unique.isEmpty else { throw LSMError.invalidArgument("a segment needs at least one entry") }
            var options = SegmentWriterOptions(creationTime: 0)
            options.blockSize = blockSize
            options.restartInterval = restartInterval
            options.compression = compressed ? .lz4 : .none
            options.bloomBitsPerKey = bloomBitsPerKey
            let writer = try SegmentWriter(directory: directory, options: options, fileSystem: PosixFileSystem())
            do {
                for e in unique { try writer.add(key: e.key.encoded, value: e.value) }
                return "\(directory)/\(try writer.finish().id.fileName)"
            } catch {
                writer.abandon()
                throw error
            }
        }
    }
}
