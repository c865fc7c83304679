import ScribeBytes

extension ProofJSON {
    /// The proof as a JSON value, members in the documented order.
    public static func encode(_ proof: Proof) -> JSONValue {
        var top: [(key: String, value: JSONValue)] = [("format", .string(Proof.format))]
        switch proof {
        case .latest(let p):
            top += [("claim", .string(ProofClaim.latest.rawValue)), ("key", hex(p.key))]
            top += inclusionMembers(p.inclusion)
            var latest: [(key: String, value: JSONValue)] = []
            if let previous = p.previous { latest.append(("previous", leaf(previous))) }
            latest.append(("segments", .array(p.segments.map(revealed))))
            top.append(("latest", .object(latest)))
            top.append(("manifest", anchor(p.manifest, inclusion: p.inclusion)))
        case .inclusion(let p):
            top += [("claim", .string(ProofClaim.inclusion.rawValue)), ("key", hex(p.key))]
            top += inclusionMembers(p.inclusion)
            top.append(("manifest", anchor(p.manifest, inclusion: p.inclusion)))
        case .absence(let p):
            top += [("claim", .string(ProofClaim.absence.rawValue)), ("key", hex(p.key))]
            top.append(("latest", .object([("segments", .array(p.segments.map(revealed)))])))
            top.append(("manifest", anchor(p.manifest, inclusion: nil)))
        case .pending(let p):
            top += [("claim", .string(ProofClaim.pending.rawValue)), ("key", hex(p.key))]
            top.append(("pending", .object([("sequence", .integer(p.sequence)), ("message", .string(p.message))])))
        case .consistency(let p):
            top.append(("claim", .string(ProofClaim.consistency.rawValue)))
            top.append(("consistency", .object([
                ("fromVersion", .integer(p.fromVersion)), ("fromDigest", hex(p.fromDigest)),
                ("toVersion", .integer(p.toVersion)), ("toDigest", hex(p.toDigest)),
                ("headers", .array(p.headers.map(hex))),
            ])))
        }
        return .object(top)
    }

    private static func inclusionMembers(_ i: EntryInclusion) -> [(key: String, value: JSONValue)] {
        let e = i.leaf.entry
        return [
            ("entry", .object([
                ("sequence", .integer(e.sequence)), ("kind", .string(e.kind.rawValue)), ("valueHash", hex(e.valueHash)),
                ("nextKey", hex(e.nextKey)),
            ])),
            ("segment", .object([
                ("id", .string(i.segment.id)), ("root", hex(i.segment.root)),
                ("blockCount", .integer(UInt64(i.segment.blockCount))),
            ])),
            ("block", block(i.leaf.position)),
            ("segmentPath", hashes(i.leaf.position.segmentPath)),
        ]
    }

    private static func leaf(_ l: LeafProof) -> JSONValue {
        .object([
            ("key", hex(l.entry.key)), ("sequence", .integer(l.entry.sequence)), ("kind", .string(l.entry.kind.rawValue)),
            ("valueHash", hex(l.entry.valueHash)), ("nextKey", hex(l.entry.nextKey)), ("block", block(l.position)),
            ("segmentPath", hashes(l.position.segmentPath)),
        ])
    }

    private static func block(_ p: EntryPosition) -> JSONValue {
        .object([
            ("index", .integer(UInt64(p.blockIndex))), ("entryCount", .integer(UInt64(p.entryCount))),
            ("entryIndex", .integer(UInt64(p.entryIndex))), ("path", hashes(p.blockPath)),
        ])
    }

    private static func record(_ r: SegmentRecord) -> JSONValue {
        .object([("id", .string(r.id)), ("root", hex(r.root)), ("blockCount", .integer(UInt64(r.blockCount)))]
            + recordRest(r))
    }

    /// The record's fields besides id, root and blockCount.
    private static func recordRest(_ r: SegmentRecord) -> [(key: String, value: JSONValue)] {
        [
            ("level", .integer(UInt64(r.level))), ("smallestKey", hex(r.smallestKey)), ("largestKey", hex(r.largestKey)),
            ("smallestSequence", .integer(r.smallestSequence)), ("largestSequence", .integer(r.largestSequence)),
            ("entryCount", .integer(r.entryCount)), ("fileSize", .integer(r.fileSize)),
        ]
    }

    private static func revealed(_ s: RevealedSegment) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("index", .integer(UInt64(s.position.index))), ("path", hashes(s.position.path)), ("segment", record(s.record)),
        ]
        if let probe = s.probe {
            var p: [(key: String, value: JSONValue)] = []
            if let before = probe.before { p.append(("before", leaf(before))) }
            if let first = probe.first { p.append(("first", leaf(first))) }
            members.append(("probe", .object(p)))
        }
        return .object(members)
    }

    private static func anchor(_ a: ManifestAnchor, inclusion: EntryInclusion?) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("version", .integer(a.version)), ("digest", hex(a.digest)), ("previousDigest", hex(a.previousDigest)),
            ("lastSequence", .integer(a.lastSequence)), ("segmentCount", .integer(UInt64(a.segmentCount))),
        ]
        if let inclusion {
            members += [
                ("recordIndex", .integer(UInt64(inclusion.recordPosition.index))),
                ("recordPath", hashes(inclusion.recordPosition.path)), ("record", .object(recordRest(inclusion.segment))),
            ]
        }
        return .object(members)
    }

    private static func hex(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes)) }
    private static func hashes(_ list: [[UInt8]]) -> JSONValue { .array(list.map(hex)) }
}
