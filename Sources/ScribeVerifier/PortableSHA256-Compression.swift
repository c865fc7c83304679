extension PortableSHA256 {
    /// The eight 32-bit words of the chaining value.
    struct State {
        var a: UInt32 = 0x6a09_e667
        var b: UInt32 = 0xbb67_ae85
        var c: UInt32 = 0x3c6e_f372
        var d: UInt32 = 0xa54f_f53a
        var e: UInt32 = 0x510e_527f
        var f: UInt32 = 0x9b05_688c
        var g: UInt32 = 0x1f83_d9ab
        var h: UInt32 = 0x5be0_cd19

        /// Applies the compression function to `blockCount` consecutive 64-byte blocks
        /// starting at `blocks` (no alignment required).
        @inline(__always)
        mutating func compress(_ blocks: UnsafeRawPointer, blockCount: Int) {
            var block = blocks
            for _ in 0..<blockCount {
                compress(block)
                block += 64
            }
        }

        /// Applies the compression function to the 64-byte block at `block`.
        ///
        /// Fully unrolled: the round constants are immediates, the message schedule is a
        /// ring of 16 locals, and the working variables are renamed from round to round
        /// instead of being shifted.
        @inline(__always)
        mutating func compress(_ block: UnsafeRawPointer) {
            var w0 = word(block, 0)
            var w1 = word(block, 1)
            var w2 = word(block, 2)
            var w3 = word(block, 3)
            var w4 = word(block, 4)
            var w5 = word(block, 5)
            var w6 = word(block, 6)
            var w7 = word(block, 7)
            var w8 = word(block, 8)
            var w9 = word(block, 9)
            var w10 = word(block, 10)
            var w11 = word(block, 11)
            var w12 = word(block, 12)
            var w13 = word(block, 13)
            var w14 = word(block, 14)
            var w15 = word(block, 15)
            var a = self.a, b = self.b, c = self.c, d = self.d
            var e = self.e, f = self.f, g = self.g, h = self.h
            var bc = b ^ c
            // Rounds 0–15 use the message words as loaded.
            round(a, b, c, &d, e, f, g, &h, &bc, 0x428a2f98 &+ w0)
            round(h, a, b, &c, d, e, f, &g, &bc, 0x71374491 &+ w1)
            round(g, h, a, &b, c, d, e, &f, &bc, 0xb5c0fbcf &+ w2)
            round(f, g, h, &a, b, c, d, &e, &bc, 0xe9b5dba5 &+ w3)
            round(e, f, g, &h, a, b, c, &d, &bc, 0x3956c25b &+ w4)
            round(d, e, f, &g, h, a, b, &c, &bc, 0x59f111f1 &+ w5)
            round(c, d, e, &f, g, h, a, &b, &bc, 0x923f82a4 &+ w6)
            round(b, c, d, &e, f, g, h, &a, &bc, 0xab1c5ed5 &+ w7)
            round(a, b, c, &d, e, f, g, &h, &bc, 0xd807aa98 &+ w8)
            round(h, a, b, &c, d, e, f, &g, &bc, 0x12835b01 &+ w9)
            round(g, h, a, &b, c, d, e, &f, &bc, 0x243185be &+ w10)
            round(f, g, h, &a, b, c, d, &e, &bc, 0x550c7dc3 &+ w11)
            round(e, f, g, &h, a, b, c, &d, &bc, 0x72be5d74 &+ w12)
            round(d, e, f, &g, h, a, b, &c, &bc, 0x80deb1fe &+ w13)
            round(c, d, e, &f, g, h, a, &b, &bc, 0x9bdc06a7 &+ w14)
            round(b, c, d, &e, f, g, h, &a, &bc, 0xc19bf174 &+ w15)
            // Rounds 16–63 first extend the schedule in place.
            w0 = extend(w0, w1, w9, w14); round(a, b, c, &d, e, f, g, &h, &bc, 0xe49b69c1 &+ w0)
            w1 = extend(w1, w2, w10, w15); round(h, a, b, &c, d, e, f, &g, &bc, 0xefbe4786 &+ w1)
            w2 = extend(w2, w3, w11, w0); round(g, h, a, &b, c, d, e, &f, &bc, 0x0fc19dc6 &+ w2)
            w3 = extend(w3, w4, w12, w1); round(f, g, h, &a, b, c, d, &e, &bc, 0x240ca1cc &+ w3)
            w4 = extend(w4, w5, w13, w2); round(e, f, g, &h, a, b, c, &d, &bc, 0x2de92c6f &+ w4)
            w5 = extend(w5, w6, w14, w3); round(d, e, f, &g, h, a, b, &c, &bc, 0x4a7484aa &+ w5)
            w6 = extend(w6, w7, w15, w4); round(c, d, e, &f, g, h, a, &b, &bc, 0x5cb0a9dc &+ w6)
            w7 = extend(w7, w8, w0, w5); round(b, c, d, &e, f, g, h, &a, &bc, 0x76f988da &+ w7)
            w8 = extend(w8, w9, w1, w6); round(a, b, c, &d, e, f, g, &h, &bc, 0x983e5152 &+ w8)
            w9 = extend(w9, w10, w2, w7); round(h, a, b, &c, d, e, f, &g, &bc, 0xa831c66d &+ w9)
            w10 = extend(w10, w11, w3, w8); round(g, h, a, &b, c, d, e, &f, &bc, 0xb00327c8 &+ w10)
            w11 = extend(w11, w12, w4, w9); round(f, g, h, &a, b, c, d, &e, &bc, 0xbf597fc7 &+ w11)
            w12 = extend(w12, w13, w5, w10); round(e, f, g, &h, a, b, c, &d, &bc, 0xc6e00bf3 &+ w12)
            w13 = extend(w13, w14, w6, w11); round(d, e, f, &g, h, a, b, &c, &bc, 0xd5a79147 &+ w13)
            w14 = extend(w14, w15, w7, w12); round(c, d, e, &f, g, h, a, &b, &bc, 0x06ca6351 &+ w14)
            w15 = extend(w15, w0, w8, w13); round(b, c, d, &e, f, g, h, &a, &bc, 0x14292967 &+ w15)
            w0 = extend(w0, w1, w9, w14); round(a, b, c, &d, e, f, g, &h, &bc, 0x27b70a85 &+ w0)
            w1 = extend(w1, w2, w10, w15); round(h, a, b, &c, d, e, f, &g, &bc, 0x2e1b2138 &+ w1)
            w2 = extend(w2, w3, w11, w0); round(g, h, a, &b, c, d, e, &f, &bc, 0x4d2c6dfc &+ w2)
            w3 = extend(w3, w4, w12, w1); round(f, g, h, &a, b, c, d, &e, &bc, 0x53380d13 &+ w3)
            w4 = extend(w4, w5, w13, w2); round(e, f, g, &h, a, b, c, &d, &bc, 0x650a7354 &+ w4)
            w5 = extend(w5, w6, w14, w3); round(d, e, f, &g, h, a, b, &c, &bc, 0x766a0abb &+ w5)
            w6 = extend(w6, w7, w15, w4); round(c, d, e, &f, g, h, a, &b, &bc, 0x81c2c92e &+ w6)
            w7 = extend(w7, w8, w0, w5); round(b, c, d, &e, f, g, h, &a, &bc, 0x92722c85 &+ w7)
            w8 = extend(w8, w9, w1, w6); round(a, b, c, &d, e, f, g, &h, &bc, 0xa2bfe8a1 &+ w8)
            w9 = extend(w9, w10, w2, w7); round(h, a, b, &c, d, e, f, &g, &bc, 0xa81a664b &+ w9)
            w10 = extend(w10, w11, w3, w8); round(g, h, a, &b, c, d, e, &f, &bc, 0xc24b8b70 &+ w10)
            w11 = extend(w11, w12, w4, w9); round(f, g, h, &a, b, c, d, &e, &bc, 0xc76c51a3 &+ w11)
            w12 = extend(w12, w13, w5, w10); round(e, f, g, &h, a, b, c, &d, &bc, 0xd192e819 &+ w12)
            w13 = extend(w13, w14, w6, w11); round(d, e, f, &g, h, a, b, &c, &bc, 0xd6990624 &+ w13)
            w14 = extend(w14, w15, w7, w12); round(c, d, e, &f, g, h, a, &b, &bc, 0xf40e3585 &+ w14)
            w15 = extend(w15, w0, w8, w13); round(b, c, d, &e, f, g, h, &a, &bc, 0x106aa070 &+ w15)
            w0 = extend(w0, w1, w9, w14); round(a, b, c, &d, e, f, g, &h, &bc, 0x19a4c116 &+ w0)
            w1 = extend(w1, w2, w10, w15); round(h, a, b, &c, d, e, f, &g, &bc, 0x1e376c08 &+ w1)
            w2 = extend(w2, w3, w11, w0); round(g, h, a, &b, c, d, e, &f, &bc, 0x2748774c &+ w2)
            w3 = extend(w3, w4, w12, w1); round(f, g, h, &a, b, c, d, &e, &bc, 0x34b0bcb5 &+ w3)
            w4 = extend(w4, w5, w13, w2); round(e, f, g, &h, a, b, c, &d, &bc, 0x391c0cb3 &+ w4)
            w5 = extend(w5, w6, w14, w3); round(d, e, f, &g, h, a, b, &c, &bc, 0x4ed8aa4a &+ w5)
            w6 = extend(w6, w7, w15, w4); round(c, d, e, &f, g, h, a, &b, &bc, 0x5b9cca4f &+ w6)
            w7 = extend(w7, w8, w0, w5); round(b, c, d, &e, f, g, h, &a, &bc, 0x682e6ff3 &+ w7)
            w8 = extend(w8, w9, w1, w6); round(a, b, c, &d, e, f, g, &h, &bc, 0x748f82ee &+ w8)
            w9 = extend(w9, w10, w2, w7); round(h, a, b, &c, d, e, f, &g, &bc, 0x78a5636f &+ w9)
            w10 = extend(w10, w11, w3, w8); round(g, h, a, &b, c, d, e, &f, &bc, 0x84c87814 &+ w10)
            w11 = extend(w11, w12, w4, w9); round(f, g, h, &a, b, c, d, &e, &bc, 0x8cc70208 &+ w11)
            w12 = extend(w12, w13, w5, w10); round(e, f, g, &h, a, b, c, &d, &bc, 0x90befffa &+ w12)
            w13 = extend(w13, w14, w6, w11); round(d, e, f, &g, h, a, b, &c, &bc, 0xa4506ceb &+ w13)
            w14 = extend(w14, w15, w7, w12); round(c, d, e, &f, g, h, a, &b, &bc, 0xbef9a3f7 &+ w14)
            w15 = extend(w15, w0, w8, w13); round(b, c, d, &e, f, g, h, &a, &bc, 0xc67178f2 &+ w15)
            self.a &+= a
            self.b &+= b
            self.c &+= c
            self.d &+= d
            self.e &+= e
            self.f &+= f
            self.g &+= g
            self.h &+= h
        }
    }
}

/// The big-endian message word `index` of the 64-byte block at `block`.
@inline(__always)
private func word(_ block: UnsafeRawPointer, _ index: Int) -> UInt32 {
    UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
}

/// Rotates `x` right by `n` bits.
@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
}

/// The message schedule step W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], computed
/// in the 16-word ring where W[t-16] is the slot being overwritten. The rotations are
/// nested (rotr(rotr(x, 11) ^ x, 7) = rotr(x, 18) ^ rotr(x, 7)) to need fewer registers.
@inline(__always)
private func extend(_ w16: UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
    let sigma0 = rotr(rotr(w15, 11) ^ w15, 7) ^ (w15 &>> 3)
    let sigma1 = rotr(rotr(w2, 2) ^ w2, 17) ^ (w2 &>> 10)
    return w16 &+ sigma0 &+ w7 &+ sigma1
}

/// One SHA-256 round with `kw` = K[t] + W[t]. Instead of shifting all eight working
/// variables, the caller rotates the names it passes, so a round only writes `d` and `h`.
///
/// `bc` carries b ^ c in and leaves a ^ b, which is the next round's b ^ c, so the majority
/// b ^ ((a ^ b) & (b ^ c)) costs three operations. Σ0 and Σ1 nest their rotations
/// (rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6) = Σ1(e)), which keeps fewer values live.
@inline(__always)
private func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ bc: inout UInt32, _ kw: UInt32
) {
    let sum1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ sum1 &+ choose &+ kw
    let sum0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
    let ab = a ^ b
    let majority = b ^ (ab & bc)
    bc = ab
    d &+= t1
    h = t1 &+ sum0 &+ majority
}
