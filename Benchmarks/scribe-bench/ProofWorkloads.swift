import LSMEngine
import ScribeVerifier

/// Scribe-only workloads (db_bench has no proofs): run after a fill, on a store
/// flushed first so every key is in a segment.
enum ProofWorkloads {
    /// `proverandom`: `--reads` latest-proofs of random keys. The message gives the
    /// compact JSON size of the whole latest-proof, of its inclusion proof (entry to
    /// segment root: format, claim, key, entry, segment, block, segmentPath) and of that
    /// inclusion proof with its manifest link (record, record path, header fields).
    static func proveRandom(_ context: WorkloadContext, _ thread: BenchThread) throws {
        var key = context.keys.makeBuffer()
        var sizes = ProofSizes()
        for _ in 0..<context.flags.readsPerThread {
            context.keys.fill(&key, with: thread.random.next() % UInt64(context.flags.num))
            sizes.add(try context.store.prove(key))
            thread.stats.finished(1, .read)
        }
        thread.stats.addMessage(sizes.summary)
    }

    /// `verifyrandom`: proves up to 1000 random keys (not timed), then verifies them
    /// `--reads` times in turn with `ProofVerifier` (parsed proofs: SHA-256 and checks
    /// only). The message adds the time to verify only their inclusion proofs (with the
    /// manifest link), and to parse and verify the JSON of the whole latest-proofs.
    static func verifyRandom(_ context: WorkloadContext, _ thread: BenchThread) throws {
        var key = context.keys.makeBuffer()
        var proofs: [Proof] = []
        for _ in 0..<min(context.flags.readsPerThread, 1000) {
            context.keys.fill(&key, with: thread.random.next() % UInt64(context.flags.num))
            let proof = try context.store.prove(key)
            if case .pending = proof { continue }
            proofs.append(proof)
        }
        guard !proofs.isEmpty else { return }
        let documents = proofs.map { Array(ProofJSON.write($0, pretty: false).utf8) }
        let inclusions = proofs.compactMap(inclusionPart)
        thread.stats.begin()
        for i in 0..<Int(context.flags.readsPerThread) {
            try ProofVerifier.verify(proofs[i % proofs.count])
            thread.stats.finished(1, .read)
        }
        let perInclusion = try micros(repeating: 20, inclusions) { try ProofVerifier.verify($0) }
        let perDocument = try micros(repeating: 1, documents) { try ProofVerifier.verify(ProofJSON.parse($0)) }
        thread.stats.addMessage(
            "(\(proofs.count) proofs; inclusion part verify \(format(perInclusion)) micros; "
                + "JSON parse + verify \(format(perDocument)) micros)\n")
    }

    /// The inclusion proof inside a latest-proof.
    static func inclusionPart(_ proof: Proof) -> Proof? {
        guard case .latest(let p) = proof else { return nil }
        return .inclusion(InclusionProof(key: p.key, inclusion: p.inclusion, manifest: p.manifest))
    }

    /// Mean microseconds of `body` over `items`, each run `rounds` times.
    private static func micros<T>(repeating rounds: Int, _ items: [T], _ body: (T) throws -> Void) throws -> Double {
        guard !items.isEmpty else { return 0 }
        let start = BenchClock.nowMicros()
        for _ in 0..<rounds { for item in items { try body(item) } }
        return Double(BenchClock.nowMicros() - start) / Double(rounds * items.count)
    }

    private static func format(_ value: Double) -> String {
        String(Int(value)) + "." + String(Int(value * 10) % 10)
    }
}

/// Size statistics of proofs' compact JSON.
struct ProofSizes {
    private var latest = SizeStat()
    private var inclusion = SizeStat()
    private var linked = SizeStat()
    private var absent = 0
    private var pending = 0

    mutating func add(_ proof: Proof) {
        switch proof {
        case .latest:
            latest.add(ProofJSON.write(proof, pretty: false).utf8.count)
            guard let part = ProofWorkloads.inclusionPart(proof),
                  case .object(let members) = ProofJSON.encode(part) else { return }
            linked.add(JSONWriter.write(.object(members), pretty: false).utf8.count)
            let alone = members.filter { $0.key != "manifest" }
            inclusion.add(JSONWriter.write(.object(alone), pretty: false).utf8.count)
        case .absence: absent += 1
        case .pending: pending += 1
        case .inclusion, .consistency: break
        }
    }

    var summary: String {
        "(JSON bytes: latest \(latest); inclusion \(inclusion); inclusion with manifest link \(linked); "
            + "\(absent) absent, \(pending) pending)\n"
    }
}

/// Count, mean and maximum of sizes.
struct SizeStat: CustomStringConvertible {
    private var count = 0
    private var total = 0
    private var maximum = 0

    mutating func add(_ size: Int) {
        count += 1
        total += size
        maximum = max(maximum, size)
    }

    var description: String { count == 0 ? "none" : "mean \(total / count) max \(maximum) of \(count)" }
}
