import ScribeVerifier
import Testing
@testable import LSMEngine
import ScribeBytes

extension ProofVectorStore {
    /// Every vector, in file order: valid proofs cut from the store, then invalid ones,
    /// each made from a valid one by exactly one change.
    func vectors() throws -> [ProofVector] {
        var vectors: [ProofVector] = []
        func add(_ vector: ProofVector) {
            vectors.append(vector.renumbered(vectors.count + 1))
        }
        func pin(_ key: String, value: [UInt8]?, claim: ProofClaim) -> ProofExpectation {
            ProofExpectation(key: [UInt8](key), value: value, digest: digest, claim: claim)
        }

        // Valid latest proofs.
        let mango = try latest("mango")
        let mangoExpect = pin("mango", value: Self.value("mango", round: 3), claim: .latest)
        add(try .valid(
            "latest-level0", "latest: \"mango\"'s newest version is in the level-0 segment; the level-1 segment "
                + "holding its older versions needs no probe", .latest(mango), expect: mangoExpect))

        let cherry = try latest("cherry")
        let probed = try #require(cherry.segments.firstIndex { $0.probe != nil })
        try #require(cherry.segments[probed].record.level == 0 && cherry.segments[probed].probe?.first == nil)
        let cherryExpect = pin("cherry", value: Self.value("cherry", round: 1), claim: .latest)
        add(try .valid(
            "latest-level1-probed", "latest: \"cherry\" is in level 1; the overlapping level-0 segment is revealed "
                + "and its probe shows it has no \"cherry\"", .latest(cherry), expect: cherryExpect))

        let date = try latest("date")
        try #require(date.inclusion.leaf.entry.kind == .delete)
        add(try .valid(
            "latest-delete", "latest: \"date\"'s newest version is a delete (the proof proves the tombstone; "
                + "expect has no value)", .latest(date), expect: pin("date", value: nil, claim: .latest)))

        let apple = try latest("apple")
        try #require(apple.previous == nil)
        add(try .valid(
            "latest-first-of-segment", "latest: \"apple\" is the first entry of its segment, so the proof has no "
                + "previous entry", .latest(apple),
            expect: pin("apple", value: Self.value("apple", round: 1), claim: .latest)))

        let candidates = Self.keys.filter { !["cherry", "date"].contains($0) }
        let (crossKey, cross) = try #require(try candidates.map { ($0, try latest($0)) }.first { _, p in
            let at = p.inclusion.leaf.position
            return at.entryIndex == 0 && p.previous.map { $0.position.blockIndex + 1 == at.blockIndex } == true
        })
        let crossExpect = pin(crossKey, value: Self.newestValue(crossKey), claim: .latest)
        add(try .valid(
            "latest-previous-in-previous-block", "latest: \"\(crossKey)\" is the first entry of block "
                + "\(cross.inclusion.leaf.position.blockIndex); its previous entry is the last of the block before",
            .latest(cross), expect: crossExpect))

        // Inclusion of an older version.
        let oldBanana = try #require(try store.versions(of: [UInt8]("banana")).last)
        add(try .valid(
            "inclusion-older-version", "inclusion: the first version of \"banana\" (sequence \(oldBanana.sequence)), "
                + "shadowed by a newer one in level 0",
            try store.prove([UInt8]("banana"), sequence: oldBanana.sequence),
            expect: pin("banana", value: Self.value("banana", round: 1), claim: .inclusion)))

        // Absence.
        add(try .valid(
            "absence-before-all-keys", "absence: \"aardvark\" sorts before every key of the store",
            .absence(try absence("aardvark")), expect: pin("aardvark", value: nil, claim: .absence)))
        let segmentsOfLevelOne = levelOne
        try #require(segmentsOfLevelOne.count == 2)
        let low = segmentsOfLevelOne[0].largestKey.userKey
        let high = try #require(segmentsOfLevelOne.last).smallestKey.userKey
        let between = try #require(Self.absentKeys.first {
            ByteOrder.compare(low, [UInt8]($0)) < 0 && ByteOrder.compare([UInt8]($0), high) < 0
        })
        add(try .valid(
            "absence-between-segments", "absence: \"\(between)\" lies between the two level-1 segments (after "
                + "\"\(String(decoding: low, as: UTF8.self))\", before \"\(String(decoding: high, as: UTF8.self))\")",
            .absence(try absence(between)), expect: pin(between, value: nil, claim: .absence)))
        add(try .valid(
            "absence-after-all-keys", "absence: \"zucchini\" sorts after every key of the store",
            .absence(try absence("zucchini")), expect: pin("zucchini", value: nil, claim: .absence)))
        let blueberry = try absence("blueberry")
        try #require(blueberry.segments.filter { $0.probe != nil }.count == 2)
        add(try .valid(
            "absence-gap-in-segment", "absence: \"blueberry\" falls in a gap inside a level-1 segment and the "
                + "level-0 segment; both probes show the entry before the gap and its nextKey above the key",
            .absence(blueberry), expect: pin("blueberry", value: nil, claim: .absence)))

        // Consistency.
        let history = store.versions.history
        guard case .consistency(let consistency) = try store.proveConsistency(fromVersion: 1) else {
            throw LSMError.invalidArgument("expected a consistency proof")
        }
        let consistencyExpect = ProofExpectation(digest: digest, fromDigest: history[0].digest, claim: .consistency)
        add(try .valid(
            "consistency", "consistency: manifest version \(history.count) extends version 1; the headers of "
                + "versions 2...\(history.count) chain fromDigest to toDigest", .consistency(consistency),
            expect: consistencyExpect))

        // Pending.
        try store.put([UInt8]("zucchini"), [UInt8]("not flushed"), options: .buffered)
        add(try .invalid(
            "pending", "pending: \"zucchini\"'s newest version is only in the memtable; a pending notice proves "
                + "nothing", try store.prove([UInt8]("zucchini")),
            expect: pin("zucchini", value: nil, claim: .latest), error: "no proof yet"))

        // Invalid: one change each.
        var p = mango
        p.inclusion.leaf.entry.valueHash[0] ^= 0x01
        add(try .invalid(
            "invalid-value-hash", "latest-level0 with the first byte of entry.valueHash changed", .latest(p),
            expect: mangoExpect, error: "does not hash to segment"))

        var e = mangoExpect
        e.value = Self.value("mango", round: 1)
        add(try .invalid(
            "invalid-expected-value", "latest-level0 expecting an older value of \"mango\"", .latest(mango), expect: e,
            error: "SHA-256 of the value is not the proven valueHash"))

        e = mangoExpect
        e.digest = previousVersionDigest
        add(try .invalid(
            "invalid-trusted-digest", "latest-level0 expecting the digest of the manifest version before it",
            .latest(mango), expect: e, error: "is not the trusted digest"))

        e = mangoExpect
        e.key = [UInt8]("lime")
        add(try .invalid(
            "invalid-expected-key", "latest-level0 expecting key \"lime\"", .latest(mango), expect: e,
            error: "the proof is about key"))

        p = cherry
        p.inclusion.leaf.entry.nextKey = [UInt8]("coconuts")
        add(try .invalid(
            "invalid-next-key", "latest-level1-probed with entry.nextKey changed from \"coconut\" to \"coconuts\"",
            .latest(p), expect: cherryExpect, error: "does not hash to segment"))

        p = mango
        p.inclusion.leaf.entry.sequence -= 1
        add(try .invalid(
            "invalid-sequence", "latest-level0 with entry.sequence lowered by one", .latest(p), expect: mangoExpect,
            error: "does not hash to segment"))

        p = mango
        p.inclusion.leaf.entry.kind = .delete
        var unpinned = mangoExpect
        unpinned.value = nil
        add(try .invalid(
            "invalid-kind", "latest-level0 with entry.kind changed from put to delete (expect has no value)",
            .latest(p), expect: unpinned, error: "does not hash to segment"))

        p = cross
        p.inclusion.leaf.position.entryCount += 1
        add(try .invalid(
            "invalid-block-entry-count", "latest-previous-in-previous-block with block.entryCount increased by one",
            .latest(p), expect: crossExpect, error: "does not hash to segment"))

        p = cross
        p.inclusion.segment.blockCount += 1
        add(try .invalid(
            "invalid-segment-block-count", "latest-previous-in-previous-block with segment.blockCount increased by one",
            .latest(p), expect: crossExpect, error: "does not hash to segment"))

        p = cross
        p.inclusion.leaf.position.blockPath[0][31] ^= 0x01
        add(try .invalid(
            "invalid-path-element", "latest-previous-in-previous-block with the last byte of block.path[0] changed",
            .latest(p), expect: crossExpect, error: "does not hash to segment"))

        p = cross
        p.inclusion.leaf.position.segmentPath.removeLast()
        add(try .invalid(
            "invalid-path-element-dropped", "latest-previous-in-previous-block with the last element of segmentPath "
                + "removed", .latest(p), expect: crossExpect, error: "does not hash to segment"))

        p = cherry
        p.inclusion.recordPosition.index -= 1
        add(try .invalid(
            "invalid-record-index", "latest-level1-probed with manifest.recordIndex lowered by one", .latest(p),
            expect: cherryExpect, error: "is not the digest"))

        p = cross
        p.previous = nil
        add(try .invalid(
            "invalid-previous-removed", "latest-previous-in-previous-block without latest.previous", .latest(p),
            expect: crossExpect, error: "without before, first must be the segment's first entry"))

        p = cherry
        p.segments[probed].probe = nil
        add(try .invalid(
            "invalid-probe-removed", "latest-level1-probed without the probe of the level-0 segment", .latest(p),
            expect: cherryExpect, error: "may hold a newer version but has no probe"))

        p = cherry
        p.segments.remove(at: probed)
        add(try .invalid(
            "invalid-segment-removed", "latest-level1-probed without the revealed level-0 segment", .latest(p),
            expect: cherryExpect, error: "may hold a newer version but is not shown"))

        var a = blueberry
        a.segments.swapAt(0, 1)
        add(try .invalid(
            "invalid-segments-out-of-order", "absence-gap-in-segment with latest.segments[0] and [1] swapped",
            .absence(a), expect: pin("blueberry", value: nil, claim: .absence), error: "not in ascending index order"))

        p = mango
        p.manifest.previousDigest[0] ^= 0x01
        add(try .invalid(
            "invalid-previous-digest", "latest-level0 with the first byte of manifest.previousDigest changed",
            .latest(p), expect: mangoExpect, error: "is not the digest"))

        p = mango
        p.manifest.lastSequence += 1
        add(try .invalid(
            "invalid-last-sequence", "latest-level0 with manifest.lastSequence increased by one", .latest(p),
            expect: mangoExpect, error: "is not the digest"))

        add(try .invalid(
            "invalid-claim-latest-as-inclusion", "latest-level0 turned into an inclusion proof (claim \"inclusion\", "
                + "no latest member) while expect.claim is latest",
            .inclusion(InclusionProof(key: mango.key, inclusion: mango.inclusion, manifest: mango.manifest)),
            expect: mangoExpect, error: "the proof proves inclusion, not latest"))

        var c = consistency
        c.headers.removeLast()
        add(try .invalid(
            "invalid-consistency-header-removed", "consistency without its last header", .consistency(c),
            expect: consistencyExpect, error: "headers for versions"))

        var ce = consistencyExpect
        ce.fromDigest = previousVersionDigest
        add(try .invalid(
            "invalid-consistency-from-digest", "consistency expecting a fromDigest of another version",
            .consistency(consistency), expect: ce, error: "fromDigest is not the trusted digest"))

        // Invalid documents: edits of latest-level0's JSON.
        let json = ProofJSON.encode(.latest(mango))
        add(try .invalid(
            "invalid-uppercase-hex", "latest-level0 with key written in uppercase hex",
            json.replacing("key", with: .string(Hex.encode(mango.key).uppercased())), expect: mangoExpect,
            error: "key: expected lowercase hex"))
        add(try .invalid(
            "invalid-unknown-field", "latest-level0 with an extra top-level member \"comment\"",
            json.editingObject { $0.append(("comment", .string("extra"))) }, expect: mangoExpect,
            error: "comment: unknown field"))
        add(try .invalid(
            "invalid-missing-field", "latest-level0 without entry.valueHash",
            json.editingObject(at: ["entry"]) { $0.removeAll { $0.key == "valueHash" } }, expect: mangoExpect,
            error: "entry.valueHash: missing field"))
        add(try .invalid(
            "invalid-format", "latest-level0 with format \"scribe-proof-v2\"",
            json.replacing("format", with: .string("scribe-proof-v2")), expect: mangoExpect,
            error: "unsupported format"))
        add(try .invalid(
            "invalid-not-an-object", "a JSON array instead of a proof object", .array([]), expect: ProofExpectation(),
            error: "expected an object"))
        return vectors
    }
}

extension ProofVector {
    /// The vector with its file number prefixed: `07-absence-before-all-keys`.
    func renumbered(_ number: Int) -> ProofVector {
        var copy = self
        copy.name = (number < 10 ? "0" : "") + "\(number)-\(name)"
        return copy
    }
}
