import ScribeVerifier

extension LSMStore {
    /// A proof about `key`'s newest version against the current manifest version:
    /// `.latest` when a segment holds it, `.absence` when no version of the key exists,
    /// `.pending` when the newest version is still only in a memtable (it becomes
    /// provable after the next flush). Verify with `ProofVerifier.verify`; serialize
    /// with `ProofJSON.write`. Cost: a few block reads per segment that could hold the key.
    public func prove(_ key: some Collection<UInt8>) throws -> Proof {
        let key = Array(key)
        try validateKey(key)
        let view = try readView()
        if let pending = pendingNotice(key, view: view, atSequence: maxSequenceNumber) { return pending }
        return try proofBuilder(view).latest(key)
    }

    /// An inclusion proof of the version of `key` written with `sequence` (any version,
    /// not only the newest), or `.pending` when that version is still in a memtable.
    /// Throws `.invalidArgument` when no version of `key` has that sequence (never
    /// written, or dropped by compaction under `.latestOnly`).
    public func prove(_ key: some Collection<UInt8>, sequence: SequenceNumber) throws -> Proof {
        let key = Array(key)
        try validateKey(key)
        let view = try readView()
        if let pending = pendingNotice(key, view: view, atSequence: sequence), case .pending(let p) = pending,
           p.sequence == sequence {
            return pending
        }
        guard let proof = try proofBuilder(view).inclusion(key, sequence: sequence) else {
            throw LSMError.invalidArgument("no version of the key has sequence \(sequence) in a segment")
        }
        return proof
    }

    /// A consistency proof that manifest version `toVersion` (default: the current one)
    /// extends `fromVersion`: the headers of the versions in between. Throws
    /// `.invalidArgument` unless `fromVersion < toVersion ≤ current` and the store's
    /// MANIFEST holds `fromVersion` (a store rebuilt from object storage starts at
    /// its published base: `fromVersion` may then be the base or the one before it).
    public func proveConsistency(fromVersion: UInt64, toVersion: UInt64? = nil) throws -> Proof {
        let history = versions.history
        guard let oldest = history.first, let newest = history.last else {
            throw LSMError.invalidArgument("the store records no manifest version")
        }
        let to = toVersion ?? newest.version
        let earliest = oldest.version - 1
        guard fromVersion < to, to <= newest.version, fromVersion >= earliest else {
            throw LSMError.invalidArgument(
                "consistency needs \(earliest) ≤ fromVersion < toVersion ≤ \(newest.version); got \(fromVersion) and \(to)")
        }
        let fromDigest = fromVersion == earliest
            ? oldest.previousDigest : history[Int(fromVersion - oldest.version)].digest
        return .consistency(ConsistencyProof(
            fromVersion: fromVersion, fromDigest: fromDigest, toVersion: to,
            toDigest: history[Int(to - oldest.version)].digest,
            headers: history[Int(fromVersion - earliest)..<Int(to - earliest)].map(\.header)))
    }

    /// Why no segment proof exists yet: the memtables hold a version of `key` at or below `sequence`.
    private func pendingNotice(_ key: [UInt8], view: ReadView, atSequence sequence: SequenceNumber) -> Proof? {
        let found = key.withUnsafeBytes { k in
            view.memtable.get(k, atSequence: sequence)
                ?? view.frozen.reversed().lazy.compactMap { $0.memtable.get(k, atSequence: sequence) }.first
        }
        guard let found else { return nil }
        let sequence = KeyVersion(found).sequence
        return .pending(PendingNotice(
            key: key, sequence: sequence,
            message: "version \(sequence) is still in the memtable; it becomes provable after the next flush "
                + "(flush the store, for example with scribe-kv flush, or wait for the memtable to fill)"))
    }

    private func proofBuilder(_ view: ReadView) -> ProofBuilder {
        ProofBuilder(version: view.version, previousDigest: view.version.previousDigest, tableCache: view.tableCache)
    }
}
