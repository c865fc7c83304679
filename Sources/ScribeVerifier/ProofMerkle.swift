/// RFC 6962 / RFC 9162 hashing over SHA-256, as a verifier needs it.
public enum ProofMerkle {
    /// `SHA-256(0x00 ‖ input)`.
    public static func leafHash(_ input: [UInt8]) -> [UInt8] {
        var h = PortableSHA256.Hasher()
        h.update(byte: 0x00)
        h.update(input)
        return h.finalize()
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var h = PortableSHA256.Hasher()
        h.update(byte: 0x01)
        h.update(left)
        h.update(right)
        return h.finalize()
    }

    /// The root implied by the hash `leaf` at `index` in a tree of `size` leaves and its
    /// audit path (RFC 9162 §2.1.3.2); nil when the path's length does not fit the index
    /// and size, or an element is not 32 bytes. Costs one SHA-256 per path element.
    public static func rootFromAuditPath(leaf: [UInt8], index: UInt64, size: UInt64, path: [[UInt8]]) -> [UInt8]? {
        guard index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in path {
            guard sn != 0, p.count == PortableSHA256.digestSize else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }
}
