/// SHA-256 (FIPS 180-4) in pure Swift, with no dependency beyond the standard library.
///
/// Written for the verifier's workload — a few dozen messages of 36–80 bytes per proof — so
/// the compression function is fully unrolled, keeps the working variables and the 16-word
/// message schedule in locals (registers), and reads the message straight from the caller's
/// memory. Hashing allocates nothing but the 32-byte digest array it returns.
public enum PortableSHA256 {
    /// The size of a digest in bytes.
    public static let digestSize = 32

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

extension PortableSHA256 {
    /// An incremental SHA-256 hasher: a plain value with an inline 64-byte block buffer, so
    /// feeding it bytes never allocates. Whole blocks are compressed directly from the
    /// caller's memory; only a partial tail is copied into the buffer.
    public struct Hasher {
        /// The chaining value.
        private var state = State()
        /// Bytes of a not yet complete block; only the first `bufferCount` are meaningful.
        private var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0)
        /// How many bytes of `buffer` are in use, always in `0..<64`.
        private var bufferCount = 0
        /// The message length so far, in bytes (modulo 2^64, as FIPS 180-4 allows 2^64 bits).
        private var totalCount: UInt64 = 0

        /// A hasher over the empty message.
        public init() {}

        /// Appends `bytes` to the message.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard var input = bytes.baseAddress, bytes.count > 0 else { return }
            var remaining = bytes.count
            totalCount &+= UInt64(truncatingIfNeeded: remaining)
            if bufferCount > 0 {
                let taken = min(64 &- bufferCount, remaining)
                withUnsafeMutableBytes(of: &buffer) { block in
                    UnsafeMutableRawBufferPointer(rebasing: block[bufferCount..<(bufferCount &+ taken)])
                        .copyMemory(from: UnsafeRawBufferPointer(start: input, count: taken))
                }
                bufferCount &+= taken
                input += taken
                remaining &-= taken
                guard bufferCount == 64 else { return }
                compressBuffer()
            }
            let wholeBlocks = remaining &>> 6
            if wholeBlocks > 0 {
                state.compress(input, blockCount: wholeBlocks)
                input += wholeBlocks &<< 6
                remaining &= 63
            }
            if remaining > 0 {
                withUnsafeMutableBytes(of: &buffer) { block in
                    UnsafeMutableRawBufferPointer(rebasing: block[0..<remaining])
                        .copyMemory(from: UnsafeRawBufferPointer(start: input, count: remaining))
                }
                bufferCount = remaining
            }
        }

        /// Appends `bytes` to the message.
        public mutating func update(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// Appends `bytes` to the message.
        public mutating func update(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBytes { update($0) }
        }

        /// Appends `bytes` to the message: in one pass over contiguous storage when the
        /// collection has it, otherwise byte by byte.
        public mutating func update(_ bytes: some Collection<UInt8>) {
            let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
            if done == nil {
                for byte in bytes { update(byte: byte) }
            }
        }

        /// Appends one byte to the message.
        public mutating func update(byte: UInt8) {
            let index = bufferCount
            withUnsafeMutableBytes(of: &buffer) { $0[index] = byte }
            bufferCount &+= 1
            totalCount &+= 1
            if bufferCount == 64 { compressBuffer() }
        }

        /// Pads the message (FIPS 180-4 §5.1.1) and returns its 32-byte digest. The hasher
        /// is then reset to the empty message, ready for reuse.
        public mutating func finalize() -> [UInt8] {
            let bitCount = totalCount &<< 3
            let used = bufferCount
            withUnsafeMutableBytes(of: &buffer) { block in
                block[used] = 0x80
                for index in (used &+ 1)..<64 { block[index] = 0 }
            }
            if used >= 56 {
                compressBuffer()
                buffer = (0, 0, 0, 0, 0, 0, 0, 0)
            }
            buffer.7 = bitCount.bigEndian
            compressBuffer()
            let state = self.state
            let digest = [UInt8](unsafeUninitializedCapacity: PortableSHA256.digestSize) { output, count in
                let raw = UnsafeMutableRawBufferPointer(output)
                raw.storeBytes(of: state.a.bigEndian, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: state.b.bigEndian, toByteOffset: 4, as: UInt32.self)
                raw.storeBytes(of: state.c.bigEndian, toByteOffset: 8, as: UInt32.self)
                raw.storeBytes(of: state.d.bigEndian, toByteOffset: 12, as: UInt32.self)
                raw.storeBytes(of: state.e.bigEndian, toByteOffset: 16, as: UInt32.self)
                raw.storeBytes(of: state.f.bigEndian, toByteOffset: 20, as: UInt32.self)
                raw.storeBytes(of: state.g.bigEndian, toByteOffset: 24, as: UInt32.self)
                raw.storeBytes(of: state.h.bigEndian, toByteOffset: 28, as: UInt32.self)
                count = PortableSHA256.digestSize
            }
            self = Hasher()
            return digest
        }

        /// Compresses the full block held in `buffer` and empties it.
        private mutating func compressBuffer() {
            let block = buffer
            withUnsafeBytes(of: block) { state.compress($0.baseAddress.unsafelyUnwrapped) }
            bufferCount = 0
        }
    }
}
