/// RocksDB's `Random`: the Park–Miller "minimal standard" generator
/// (seed × 16807 mod 2³¹−1). db_bench's value generator draws from it with
/// seed 301, so reproducing it reproduces db_bench's value bytes exactly.
struct LehmerRandom {
    private var seed: UInt32

    init(seed: UInt32) {
        let masked = seed & 0x7FFF_FFFF
        self.seed = masked == 0 || masked == 0x7FFF_FFFF ? 1 : masked
    }

    mutating func next() -> UInt32 {
        let modulus: UInt64 = 0x7FFF_FFFF
        let product = UInt64(seed) &* 16807
        var reduced = (product >> 31) &+ (product & modulus)
        if reduced > modulus { reduced -= modulus }
        seed = UInt32(truncatingIfNeeded: reduced)
        return seed
    }

    /// A value in `0..<n` (`next() % n`, as RocksDB does). `n` > 0.
    mutating func uniform(_ n: UInt32) -> UInt32 { next() % n }
}

/// `std::mt19937_64`, the engine behind db_bench's per-thread `Random64`:
/// with the same `--seed`, scribe-bench draws the same keys as db_bench.
/// 2.5 KiB of state; one tempering step per number, a twist every 312.
struct MersenneTwister64 {
    private static let n = 312
    private static let m = 156
    private var state: [UInt64]
    private var index: Int

    init(seed: UInt64) {
        var state = [UInt64](repeating: 0, count: Self.n)
        state[0] = seed
        for i in 1..<Self.n {
            let previous = state[i - 1]
            state[i] = 6_364_136_223_846_793_005 &* (previous ^ (previous >> 62)) &+ UInt64(i)
        }
        self.state = state
        index = Self.n
    }

    mutating func next() -> UInt64 {
        if index >= Self.n { twist() }
        var x = state[index]
        index += 1
        x ^= (x >> 29) & 0x5555_5555_5555_5555
        x ^= (x << 17) & 0x71D6_7FFF_EDA6_0000
        x ^= (x << 37) & 0xFFF7_EEE0_0000_0000
        x ^= x >> 43
        return x
    }

    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { mt in
            for i in 0..<Self.n {
                let x = (mt[i] & 0xFFFF_FFFF_8000_0000) | (mt[(i + 1) % Self.n] & 0x7FFF_FFFF)
                var shifted = x >> 1
                if x & 1 != 0 { shifted ^= 0xB502_6F5A_A966_19E9 }
                mt[i] = mt[(i + Self.m) % Self.n] ^ shifted
            }
        }
        index = 0
    }
}
