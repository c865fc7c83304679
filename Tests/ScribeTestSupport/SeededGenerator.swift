/// SplitMix64: a small seeded generator, so that what is drawn from it reproduces
/// (every randomized test, the fault-injecting object store, and `FuzzRouter`'s
/// mutations from libFuzzer's seed).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` bytes from a generator seeded with `seed`: the same for the same
    /// seed, different across seeds, and incompressible.
    public static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return generator.bytes(count)
    }
}

extension RandomNumberGenerator {
    /// `count` bytes drawn uniformly from this generator.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
