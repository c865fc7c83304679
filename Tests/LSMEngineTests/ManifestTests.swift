import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine
import ScribeBytes
import ScribeCrypto

/// Version edits, the MANIFEST log, CURRENT, the digest chain and the manifest root.
struct ManifestTests {
    // MARK: - Fixtures

    /// A unique, empty store directory under /tmp; `body` runs with it, then it is removed.
    private func withStore(_ body: (String) throws -> Void) throws {
        try withTemporaryDirectory("manifest", body)
    }

    /// A segment at `level` holding user keys `first...last` written at sequences `sequences`.
    private func segment(
        level: Int, _ first: String, _ last: String, sequences: ClosedRange<UInt64>, salt: UInt8 = 0
    ) -> SegmentMetadata {
        let root = SHA256.hash(Array("\(level)\(first)\(last)\(sequences)".utf8) + [salt])
        return SegmentMetadata(
            id: SegmentID(
                level: level, smallestSequence: sequences.lowerBound, largestSequence: sequences.upperBound, root: root),
            level: level, root: root,
            smallestKey: InternalKey(userKey: Array(first.utf8), sequence: sequences.upperBound, kind: .put),
            largestKey: InternalKey(userKey: Array(last.utf8), sequence: sequences.lowerBound, kind: .delete),
            smallestSequence: sequences.lowerBound, largestSequence: sequences.upperBound,
            entryCount: sequences.upperBound - sequences.lowerBound + 1, fileSize: 1000 + UInt64(first.utf8.count), blockCount: 1)
    }

    private func manifestPath(_ directory: String, _ set: VersionSet) -> String {
        directory + "/" + set.manifestFileName
    }

    private func readBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func writeBytes(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Runs `body` and expects `.corruption` whose reason contains `fragment`.
    private func expectCorruption(
        containing fragment: String = "", sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected a corruption error", sourceLocation: sourceLocation)
        } catch let LSMError.corruption(_, _, reason) {
            #expect(fragment.isEmpty || reason.contains(fragment), "reason: \(reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected corruption, got \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Runs `body`, which decodes damaged bytes: it either succeeds (checking what it
    /// decoded) or throws `.corruption`; any other error is an issue.
    private func expectDecodedOrCorruption(_ context: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch LSMError.corruption {
            return
        } catch {
            Issue.record("\(context): \(error)")
        }
    }

    /// Runs `body` and expects `.invalidArgument`.
    private func expectInvalidArgument(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected invalidArgument", sourceLocation: sourceLocation)
        } catch LSMError.invalidArgument {
        } catch {
            Issue.record("expected invalidArgument, got \(error)", sourceLocation: sourceLocation)
        }
    }

    /// An edit with every field set.
    private func fullEdit() -> VersionEdit {
        var edit = VersionEdit(
            logNumber: 12, nextFileNumber: 300, lastSequence: 1 << 40,
            added: [segment(level: 0, "apple", "pear", sequences: 10...20), segment(level: 3, "", "zz", sequences: 1...9)],
            removed: [(level: 2, id: SegmentID(rawValue: "L2-1-2-abcdef")!), (level: 6, id: SegmentID(rawValue: "x")!)])
        edit.versionNumber = 77
        edit.digest = SHA256.hash([1, 2, 3])
        return edit
    }

    /// A store with five versions spread over levels 0, 1 and 2.
    private func populate(_ set: VersionSet) throws {
        let a = segment(level: 0, "a", "m", sequences: 1...10)
        let b = segment(level: 0, "c", "z", sequences: 11...20)
        try set.apply(VersionEdit(logNumber: 3, lastSequence: 20, added: [a, b]))
        let c = segment(level: 1, "a", "k", sequences: 1...20)
        let d = segment(level: 1, "l", "z", sequences: 2...19)
        try set.apply(VersionEdit(added: [c, d], removed: [(0, a.id), (0, b.id)]))
        let e = segment(level: 0, "b", "f", sequences: 21...30)
        try set.apply(VersionEdit(logNumber: 4, lastSequence: 30, added: [e]))
        let f = segment(level: 2, "a", "z", sequences: 1...20)
        try set.apply(VersionEdit(added: [f], removed: [(1, c.id), (1, d.id)]))
    }

    // MARK: - VersionEdit encoding

    @Test func versionEditRoundTripsThroughItsEncoding() throws {
        let edit = fullEdit()
        #expect(try VersionEdit.decode(edit.encoded(), file: "m", offset: 0) == edit)
        let empty = VersionEdit()
        #expect(empty.encoded().isEmpty)
        #expect(try VersionEdit.decode([], file: "m", offset: 0) == empty)
    }

    @Test func versionEditDecodingEveryTruncationThrowsCorruptionOrDecodesToThatPrefix() {
        let bytes = fullEdit().encoded()
        for cut in 0..<bytes.count {
            let prefix = Array(bytes.prefix(cut))
            expectDecodedOrCorruption("cut at \(cut)") {
                let decoded = try VersionEdit.decode(prefix, file: "m", offset: 0)
                #expect(decoded.encoded() == prefix, "cut at \(cut)")
            }
        }
    }

    @Test func versionEditDecodingRandomByteFlipsThrowsCorruptionOrDecodesConsistently() {
        let bytes = fullEdit().encoded()
        var rng = SeededGenerator(seed: 42)
        for round in 0..<3000 {
            var mutated = bytes
            for _ in 0...Int.random(in: 0...3, using: &rng) {
                let i = Int.random(in: 0..<mutated.count, using: &rng)
                mutated[i] ^= UInt8.random(in: 1...255, using: &rng)
            }
            expectDecodedOrCorruption("round \(round)") {
                let decoded = try VersionEdit.decode(mutated, file: "m", offset: 0)
                #expect(try VersionEdit.decode(decoded.encoded(), file: "m", offset: 0) == decoded, "round \(round)")
            }
        }
    }

    @Test func versionEditDecodingRejectsUnknownAndRepeatedTags() {
        expectCorruption(containing: "unknown version edit tag 99") { _ = try VersionEdit.decode([99, 1], file: "m", offset: 0) }
        expectCorruption(containing: "repeated") { _ = try VersionEdit.decode([2, 1, 2, 1], file: "m", offset: 0) }
        expectCorruption(containing: "version number 0") { _ = try VersionEdit.decode([1, 0], file: "m", offset: 0) }
        expectCorruption { _ = try VersionEdit.decode([7] + [UInt8](repeating: 0, count: 31), file: "m", offset: 0) }
    }

    @Test func versionEditDecodingRejectsInvalidSegmentFields() {
        // A removal whose id would escape the store directory, and one at level 7.
        expectCorruption(containing: "invalid removed segment id") {
            _ = try VersionEdit.decode([5, 0, 5] + Array("../ab".utf8), file: "m", offset: 0)
        }
        expectCorruption(containing: "level") { _ = try VersionEdit.decode([5, 7, 1, 0x61], file: "m", offset: 0) }

        let good = segment(level: 1, "a", "b", sequences: 1...2)
        func decodeRecord(_ record: [UInt8]) throws {
            var bytes: [UInt8] = [6]
            bytes.appendLengthPrefixed(record)
            _ = try VersionEdit.decode(bytes, file: "m", offset: 0)
        }
        let record = ManifestCommitment.record(good)
        let idLength = good.id.rawValue.utf8.count
        var badLevel = record
        badLevel[1 + idLength] = 7
        expectCorruption(containing: "level 7") { try decodeRecord(badLevel) }
        var badID = record
        badID[1] = UInt8(ascii: "/")
        expectCorruption(containing: "invalid segment id") { try decodeRecord(badID) }
        // The smallest key is "a" + 8 trailer bytes: make its kind byte unknown, then make it 7 bytes long.
        let keyAt = 1 + idLength + 1 + 32
        var badKind = record
        badKind[keyAt + 1 + 1] = 9
        expectCorruption(containing: "smallest key is not an internal key") { try decodeRecord(badKind) }
        var shortKey = record
        shortKey[keyAt] = 7
        expectCorruption { try decodeRecord(shortKey) }
        expectCorruption(containing: "trailing bytes") { try decodeRecord(record + [0]) }
        expectCorruption { try decodeRecord(Array(record.dropLast())) }
        let inverted = SegmentMetadata(
            id: good.id, level: 1, root: good.root, smallestKey: good.largestKey, largestKey: good.smallestKey,
            smallestSequence: 1, largestSequence: 2, entryCount: 2, fileSize: 10, blockCount: 1)
        expectCorruption(containing: "largest key below smallest key") {
            try decodeRecord(ManifestCommitment.record(inverted))
        }
    }

    // MARK: - Commitment

    @Test func segmentRecordEncodingIsTheDocumentedLayout() {
        let s = segment(level: 2, "k", "kz", sequences: 5...6)
        var expected: [UInt8] = [UInt8(s.id.rawValue.utf8.count)] + Array(s.id.rawValue.utf8) + [2] + s.root
        expected += [9] + Array("k".utf8) + littleEndian((6 << 8) | 1)
        expected += [10] + Array("kz".utf8) + littleEndian(5 << 8)
        expected += littleEndian(5) + littleEndian(6) + littleEndian(2) + littleEndian(1001) + [1, 0, 0, 0]
        #expect(ManifestCommitment.record(s) == expected)
        #expect(ManifestCommitment.leafHash(s) == SHA256.hash([0] + expected))
    }

    private func littleEndian(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private func littleEndian32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    @Test func commitmentOrderIsLevelThenNewestFirstInL0ThenSmallestKeyFirst() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 2, nextFileNumber: 3)
            let old = segment(level: 0, "a", "z", sequences: 1...5)
            let newer = segment(level: 0, "a", "c", sequences: 6...9)
            let tieA = segment(level: 0, "m", "n", sequences: 2...7, salt: 1)
            let tieB = segment(level: 0, "m", "n", sequences: 3...7, salt: 2)
            let right = segment(level: 1, "n", "p", sequences: 1...3)
            let left = segment(level: 1, "b", "d", sequences: 1...3)
            let deep = segment(level: 4, "a", "a", sequences: 1...1)
            let v = try set.apply(VersionEdit(added: [deep, right, old, tieB, left, tieA, newer]))
            let ties = [tieA, tieB].sorted { $0.id < $1.id }
            #expect(v.levels[0].map(\.id) == [newer.id] + ties.map(\.id) + [old.id])
            #expect(v.levels[1].map(\.id) == [left.id, right.id])
            #expect(v.levels[4].map(\.id) == [deep.id])
            #expect(v.allSegments.map(\.id) == [newer.id] + ties.map(\.id) + [old.id, left.id, right.id, deep.id])
            #expect(v.manifestRoot == MerkleTree.root(of: v.allSegments.map { ManifestCommitment.leafHash($0) }))
            #expect(v.segmentCount == 7)
            #expect(v.totalBytes == v.allSegments.reduce(0) { $0 + $1.fileSize })
        }
    }

    @Test func digestChainMatchesAnIndependentRecomputation() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            // Replay the chain from the history and the versions, hashing by hand.
            let reopened = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
            var digest = [UInt8](repeating: 0, count: 32)
            let contents = ManifestLog.parse(try readBytes(manifestPath(dir, set)))
            var live: [SegmentID: SegmentMetadata] = [:]
            var lastSequence: UInt64 = 0
            for (i, record) in contents.records.enumerated() {
                let edit = try VersionEdit.decode(record.payload, file: "m", offset: 0)
                for r in edit.removed { live[r.id] = nil }
                for s in edit.added { live[s.id] = s }
                lastSequence = edit.lastSequence ?? lastSequence
                let ordered = live.values.sorted {
                    if $0.level != $1.level { return $0.level < $1.level }
                    if $0.level == 0 {
                        return $0.largestSequence != $1.largestSequence
                            ? $0.largestSequence > $1.largestSequence : $0.id < $1.id
                    }
                    return $0.smallestKey < $1.smallestKey
                }
                let root = MerkleTree.root(of: ordered.map { SHA256.hash([0] + ManifestCommitment.record($0)) })
                let header = littleEndian(UInt64(i + 1)) + littleEndian(lastSequence)
                    + littleEndian32(UInt32(ordered.count)) + root
                digest = SHA256.hash(digest + header)
                #expect(reopened.history[i].version == UInt64(i + 1))
                #expect(reopened.history[i].digest == digest, "version \(i + 1)")
                #expect(edit.digest == digest)
            }
            #expect(reopened.current.digest == digest)
            #expect(reopened.history.count == 5)
        }
    }

    // MARK: - VersionSet

    @Test func createWritesCurrentAndVersionOneWithAnEmptyTree() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 4, nextFileNumber: 5)
            #expect(String(decoding: try readBytes(dir + "/CURRENT"), as: UTF8.self) == "MANIFEST-000001\n")
            let v = set.current
            #expect(v.versionNumber == 1 && v.lastSequence == 0 && v.logNumber == 4 && v.nextFileNumber == 5)
            #expect(v.segmentCount == 0 && v.levels.count == Version.maxLevels)
            #expect(v.manifestRoot == SHA256.hash([UInt8]()))
            let header = littleEndian(1) + littleEndian(0) + littleEndian32(0) + v.manifestRoot
            #expect(v.header == header)
            #expect(v.digest == SHA256.hash([UInt8](repeating: 0, count: 32) + header))
            // The vector docs/formats.md publishes for a new store's first version.
            #expect(Hex.encode(v.digest) == "239f7107511d58faf6e66546a1103a785342b78f6a644abb2ddc113a25e66d77")
            #expect(set.history.map(\.version) == [1] && set.history.map(\.digest) == [v.digest])
            expectInvalidArgument { _ = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2) }
        }
    }

    @Test func reopeningReplaysToTheIdenticalVersionAndHistory() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            let v = set.current
            #expect(v.versionNumber == 5 && v.logNumber == 4 && v.lastSequence == 30)
            #expect(v.levels[0].count == 1 && v.levels[1].isEmpty && v.levels[2].count == 1)
            let reopened = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
            #expect(reopened.current == v)
            #expect(reopened.current.levels == v.levels)
            #expect(reopened.current.manifestRoot == v.manifestRoot)
            #expect(reopened.history.map(\.version) == set.history.map(\.version))
            #expect(reopened.history.map(\.digest) == set.history.map(\.digest))
            #expect(reopened.recovery.tornTail == nil)
            // Appending after a reopen continues the chain.
            let next = try reopened.apply(VersionEdit(lastSequence: 31))
            #expect(next.versionNumber == 6)
            #expect(try VersionSet.open(directory: dir, fileSystem: posix, writing: true).current == next)
        }
    }

    @Test func aSegmentCanMoveBetweenLevelsInOneEdit() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            let s = segment(level: 0, "a", "b", sequences: 1...2)
            try set.apply(VersionEdit(added: [s]))
            let moved = SegmentMetadata(
                id: s.id, level: 1, root: s.root, smallestKey: s.smallestKey, largestKey: s.largestKey,
                smallestSequence: s.smallestSequence, largestSequence: s.largestSequence,
                entryCount: s.entryCount, fileSize: s.fileSize, blockCount: s.blockCount)
            let v = try set.apply(VersionEdit(added: [moved], removed: [(0, s.id)]))
            #expect(v.levels[0].isEmpty && v.levels[1] == [moved])
            #expect(try VersionSet.open(directory: dir, fileSystem: posix, writing: true).current == v)
        }
    }

    @Test func invalidEditsAreRejectedWithoutBeingWritten() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 5, nextFileNumber: 6)
            let s = segment(level: 1, "c", "f", sequences: 1...4)
            try set.apply(VersionEdit(lastSequence: 4, added: [s]))
            let before = set.current
            let size = try readBytes(manifestPath(dir, set)).count
            // Not live at all, or live at another level.
            expectInvalidArgument { try set.apply(VersionEdit(removed: [(0, SegmentID(rawValue: "missing")!)])) }
            expectInvalidArgument { try set.apply(VersionEdit(removed: [(2, s.id)])) }
            expectInvalidArgument { try set.apply(VersionEdit(removed: [(1, s.id), (1, s.id)])) }
            // Duplicate ids, overlapping ranges in L1, bad fields, bookkeeping moving backwards.
            expectInvalidArgument { try set.apply(VersionEdit(added: [s])) }
            let fresh = segment(level: 0, "x", "y", sequences: 5...6)
            expectInvalidArgument { try set.apply(VersionEdit(added: [fresh, fresh])) }
            expectInvalidArgument { try set.apply(VersionEdit(added: [segment(level: 1, "e", "h", sequences: 5...6)])) }
            // Disjoint internal keys but a shared user key: a level-1 read would miss versions.
            expectInvalidArgument { try set.apply(VersionEdit(added: [segment(level: 1, "f", "g", sequences: 5...6)])) }
            expectInvalidArgument { try set.apply(VersionEdit(added: [segment(level: 7, "x", "y", sequences: 5...6)])) }
            let badRoot = SegmentMetadata(
                id: fresh.id, level: 0, root: [1, 2], smallestKey: fresh.smallestKey, largestKey: fresh.largestKey,
                smallestSequence: 5, largestSequence: 6, entryCount: 2, fileSize: 1, blockCount: 1)
            expectInvalidArgument { try set.apply(VersionEdit(added: [badRoot])) }
            expectInvalidArgument { try set.apply(VersionEdit(logNumber: 4)) }
            expectInvalidArgument { try set.apply(VersionEdit(lastSequence: 3)) }
            #expect(set.current == before)
            #expect(try readBytes(manifestPath(dir, set)).count == size)
            #expect(try VersionSet.open(directory: dir, fileSystem: posix, writing: true).current == before)
        }
    }

    @Test func allocatedFileNumbersAreNeverReusedAfterReopen() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 5)
            #expect(set.newFileNumber() == 5)
            #expect(set.newFileNumber() == 6)
            let v = try set.apply(VersionEdit(logNumber: 6))
            #expect(v.nextFileNumber == 7)
            let reopened = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
            #expect(reopened.current.nextFileNumber == 7)
            #expect(reopened.newFileNumber() == 7)
            reopened.markFileNumberUsed(20)
            #expect(reopened.newFileNumber() == 21)
            reopened.markFileNumberUsed(3)
            #expect(reopened.newFileNumber() == 22)
        }
    }

    @Test func aTornTailAtEveryOffsetReopensToThePreviousVersionAndAppendsContinue() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            let path = manifestPath(dir, set)
            let full = try readBytes(path)
            let records = ManifestLog.parse(full).records
            let lastStart = Int(try #require(records.last).offset)
            let previousDigest = set.history[set.history.count - 2].digest
            let extra = segment(level: 0, "q", "r", sequences: 40...41)
            for cut in lastStart..<full.count {
                try writeBytes(Array(full.prefix(cut)), path)
                let reopened = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
                #expect(reopened.current.versionNumber == 4, "cut at \(cut)")
                #expect(reopened.current.digest == previousDigest)
                #expect(reopened.history.count == 4)
                if cut > lastStart {
                    #expect(reopened.recovery.tornTail == ManifestLog.TornTail(
                        offset: UInt64(lastStart), length: UInt64(cut - lastStart)))
                } else {
                    #expect(reopened.recovery.tornTail == nil)
                }
                #expect(try readBytes(path).count == lastStart)
                let appended = try reopened.apply(VersionEdit(added: [extra]))
                #expect(appended.versionNumber == 5)
                let again = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
                #expect(again.current == appended)
                #expect(again.recovery.tornTail == nil)
            }
        }
    }

    @Test func aDamagedMiddleRecordIsCorruption() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            let path = manifestPath(dir, set)
            let full = try readBytes(path)
            let records = ManifestLog.parse(full).records
            let middle = Int(records[2].offset)
            // A payload byte, the checksum, and the length field of the third record.
            let cases = [
                (middle + ManifestLog.headerSize + 3, "fails its checksum"), (middle + 5, "fails its checksum"),
                (middle + 1, "followed by an intact record"),
            ]
            for (position, reason) in cases {
                var damaged = full
                damaged[position] ^= 0x40
                try writeBytes(damaged, path)
                expectCorruption(containing: reason) { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            }
        }
    }

    /// Rewrites record `index` of the MANIFEST at `path` with `payload`, re-framing it with a fresh checksum.
    private func replaceRecord(_ index: Int, at path: String, with transform: ([UInt8]) throws -> [UInt8]) throws {
        let records = ManifestLog.parse(try readBytes(path)).records
        var out: [UInt8] = []
        for (i, record) in records.enumerated() {
            out += ManifestLog.frame(i == index ? try transform(record.payload) : record.payload)
        }
        try writeBytes(out, path)
    }

    @Test func aStoredDigestThatDiffersFromTheRecomputedOneIsCorruptionNamingTheVersion() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            let path = manifestPath(dir, set)
            let original = try readBytes(path)
            // Flip a bit of version 3's stored digest (the payload's last 32 bytes).
            try replaceRecord(2, at: path) { payload in
                var p = payload
                p[p.count - 1] ^= 0x01
                return p
            }
            expectCorruption(containing: "version 3: stored digest") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            // Keep version 4's digest but change what it commits to (its last sequence).
            try writeBytes(original, path)
            try replaceRecord(3, at: path) { payload in
                var edit = try VersionEdit.decode(payload, file: path, offset: 0)
                edit.lastSequence = 29_999
                return edit.encoded()
            }
            expectCorruption(containing: "version 4: stored digest") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
        }
    }

    @Test func misnumberedOrUndigestedVersionsAreCorruption() throws {
        try withStore { dir in
            let set = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try populate(set)
            let path = manifestPath(dir, set)
            let original = try readBytes(path)
            try replaceRecord(1, at: path) { payload in
                var edit = try VersionEdit.decode(payload, file: path, offset: 0)
                edit.versionNumber = 9
                return edit.encoded()
            }
            expectCorruption(containing: "version 2: the record is numbered 9") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            try writeBytes(original, path)
            try replaceRecord(1, at: path) { payload in
                var edit = try VersionEdit.decode(payload, file: path, offset: 0)
                edit.digest = []
                return edit.encoded()
            }
            expectCorruption(containing: "version 2: the record carries no digest") {
                _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true)
            }
            try writeBytes(original, path)
            try replaceRecord(2, at: path) { payload in
                var edit = try VersionEdit.decode(payload, file: path, offset: 0)
                edit.removed.append((level: 5, id: SegmentID(rawValue: "ghost")!))
                return edit.encoded()
            }
            expectCorruption(containing: "version 3: segment ghost is not live") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            try writeBytes([], path)
            expectCorruption(containing: "no version") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
        }
    }

    @Test func aMissingOrBadCurrentIsATypedError() throws {
        try withStore { dir in
            expectInvalidArgument { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            _ = try VersionSet.create(directory: dir, fileSystem: posix, logNumber: 1, nextFileNumber: 2)
            try writeBytes(Array("MANIFEST-000009\n".utf8), dir + "/CURRENT")
            expectCorruption(containing: "MANIFEST-000009, which does not exist") { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            for text in ["MANIFEST-000001", "MANIFEST-\n", "MANIFEST-00x001\n", "../MANIFEST-000001\n", ""] {
                try writeBytes(Array(text.utf8), dir + "/CURRENT")
                expectCorruption { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
            }
            try writeBytes(Array("MANIFEST-000001\n".utf8), dir + "/CURRENT")
            #expect(try VersionSet.open(directory: dir, fileSystem: posix, writing: true).current.versionNumber == 1)
            try FileManager.default.removeItem(atPath: dir + "/CURRENT")
            expectInvalidArgument { _ = try VersionSet.open(directory: dir, fileSystem: posix, writing: true) }
        }
    }

    // MARK: - MANIFEST framing

    /// An encoded edit with its version number and digest, as the VersionSet writes them.
    private func editPayload(_ version: UInt64) -> [UInt8] {
        var edit = VersionEdit(lastSequence: version)
        edit.versionNumber = version
        edit.digest = [UInt8](repeating: UInt8(version), count: 32)
        return edit.encoded()
    }

    @Test func framingTellsATornTailFromDamage() throws {
        let a = ManifestLog.frame(editPayload(1))
        let b = ManifestLog.frame(editPayload(2))
        let intact = ManifestLog.parse(a + b)
        #expect(intact.records.map(\.payload) == [editPayload(1), editPayload(2)])
        #expect(intact.validLength == UInt64(a.count + b.count) && intact.tornTail == nil && intact.damage == nil)
        // A partial header, a length past the end, and zero bytes after the last record are torn tails.
        for tail in [[0x01, 0x02], Array(b.dropLast()), [UInt8](repeating: 0, count: 20)] {
            let contents = ManifestLog.parse(a + tail)
            #expect(contents.records.count == 1)
            #expect(contents.damage == nil)
            #expect(contents.tornTail == ManifestLog.TornTail(offset: UInt64(a.count), length: UInt64(tail.count)))
        }
        // A damaged record followed by an intact one, or an intact one at an odd offset, is damage.
        var damaged = a
        damaged[9] ^= 0xFF
        #expect(ManifestLog.parse(damaged + b).damage?.offset == 0)
        #expect(ManifestLog.parse([0, 0, 0] + b).damage?.offset == 0)
        // A damaged record whose length field is wrong too, with the next edit at an odd offset.
        var shifted = a
        shifted[0] ^= 0x07
        #expect(ManifestLog.parse(shifted + [9] + b).damage != nil)
    }

    @Test func aCompleteLastRecordWithABadChecksumIsDamageNotATornTail() throws {
        let a = ManifestLog.frame(editPayload(1))
        let b = ManifestLog.frame(editPayload(2))
        for position in [ManifestLog.headerSize, ManifestLog.headerSize + 5, b.count - 1, 4, 7] {
            var last = b
            last[position] ^= 0x01
            let contents = ManifestLog.parse(a + last)
            #expect(contents.tornTail == nil, "byte \(position)")
            #expect(contents.damage?.offset == UInt64(a.count), "byte \(position)")
            #expect(contents.damage?.length == UInt64(last.count))
            #expect(contents.damage?.reason.contains("fails its checksum") == true)
            #expect(contents.records.count == 1 && contents.validLength == UInt64(a.count))
        }
    }
}
