import Foundation
import ScribeTestSupport
import Testing
@testable import LSMEngine
import ScribeBytes

@Suite struct ScribeKVTests {
    @Test func commandsWorkEndToEnd() throws {
        let dir = try TemporaryDirectory("cli")
        let db = ["--db", dir.path]
        let put = try ScribeKVBinary.run(db + ["put", "alpha", "one"])
        #expect(put.status == 0)
        #expect(put.stdout == "1\n")
        #expect(try ScribeKVBinary.run(db + ["put", "alpha", "two"]).stdout == "2\n")
        #expect(try ScribeKVBinary.run(db + ["get", "alpha"]).stdout == "two\n")
        let missing = try ScribeKVBinary.run(db + ["get", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not found"))
        #expect(try ScribeKVBinary.run(db + ["delete", "alpha"]).stdout == "3\n")
        #expect(try ScribeKVBinary.run(db + ["history", "alpha"]).stdout == "3\tdelete\n2\tput\ttwo\n1\tput\tone\n")

        let load = try ScribeKVBinary.run(db + ["load"], input: "b\t2\na\t1\nc\t3\n")
        #expect(load.stdout == "ok b\nok a\nok c\n")
        #expect(try ScribeKVBinary.run(db + ["scan"]).stdout == "a\t1\nb\t2\nc\t3\n")
        #expect(try ScribeKVBinary.run(db + ["scan", "--reverse", "--limit", "2"]).stdout == "c\t3\nb\t2\n")
        #expect(try ScribeKVBinary.run(db + ["scan", "--from", "b", "--to", "c"]).stdout == "b\t2\n")
        #expect(try ScribeKVBinary.run(db + ["scan", "--prefix", "a"]).stdout == "a\t1\n")

        let badLoad = try ScribeKVBinary.run(db + ["load"], input: "no tab here\n")
        #expect(badLoad.status != 0)
        #expect(badLoad.stderr.contains("line 1"))

        #expect(try ScribeKVBinary.run(db + ["flush"]).status == 0)
        let check = try ScribeKVBinary.run(db + ["check"])
        #expect(check.status == 0)
        #expect(check.stdout.contains("check passed:"))
        let stats = try ScribeKVBinary.run(db + ["stats"])
        #expect(stats.stdout.contains("last_sequence\t6"))

        let segment = try #require(storeFiles(dir.path, suffix: ".sst").first)
        let dump = try ScribeKVBinary.run(["dump-segment", segment])
        #expect(dump.status == 0)
        #expect(dump.stdout.contains(Hex.encode([UInt8]("alpha"))))
    }

    @Test func proveAndVerifyProofWorkEndToEnd() throws {
        let dir = try TemporaryDirectory("cli-prove")
        let db = ["--db", dir.path]
        #expect(try ScribeKVBinary.run(db + ["put", "alpha", "one"]).status == 0)
        let pending = try ScribeKVBinary.run(db + ["prove", "alpha"])
        #expect(pending.status == 2)
        #expect(pending.stdout.contains("\"claim\": \"pending\""))
        #expect(pending.stderr.contains("flush"))
        #expect(try ScribeKVBinary.run(db + ["flush"]).status == 0)
        let proof = try ScribeKVBinary.run(db + ["prove", "alpha", "--compact"])
        #expect(proof.status == 0)
        let proofFile = dir.file("alpha.proof.json")
        let valueFile = dir.file("alpha.value")
        try Data(proof.stdout.utf8).write(to: URL(fileURLWithPath: proofFile))
        try Data("one".utf8).write(to: URL(fileURLWithPath: valueFile))
        let digest = try #require(try ScribeKVBinary.run(db + ["stats"]).stdout
            .split(separator: "\n").first { $0.hasPrefix("manifest_digest") }?.split(separator: "\t").last)
        let ok = try ScribeKVBinary.run(
            db + ["verify-proof", proofFile, "--value-file", valueFile, "--digest", String(digest), "--key", "alpha"])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("verified: the newest version of key \(Hex.encode([UInt8]("alpha")))"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: valueFile))
        let wrongValue = try ScribeKVBinary.run(["verify-proof", proofFile, "--value-file", valueFile])
        #expect(wrongValue.status == 1)
        #expect(wrongValue.stderr.contains("valueHash"))
        let wrongDigest = try ScribeKVBinary.run(["verify-proof", proofFile, "--digest", String(repeating: "0", count: 64)])
        #expect(wrongDigest.status == 1)
        let absent = try ScribeKVBinary.run(db + ["prove", "beta"])
        #expect(absent.stdout.contains("\"claim\": \"absence\""))
        let consistency = try ScribeKVBinary.run(db + ["prove-consistency", "--from", "1"])
        #expect(consistency.status == 0)
        #expect(try ScribeKVBinary.run(db + ["prove", "alpha", "--sequence", "99"]).status == 1)
    }

    @Test func hexModeHandlesBinaryKeys() throws {
        let dir = try TemporaryDirectory("cli-hex")
        let db = ["--db", dir.path, "--hex"]
        #expect(try ScribeKVBinary.run(db + ["put", "00ff", "0a0d00"]).status == 0)
        #expect(try ScribeKVBinary.run(db + ["get", "00ff"]).stdout == "0a0d00\n")
        let bad = try ScribeKVBinary.run(db + ["get", "xyz"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not valid hex"))
    }

    @Test func openingAMissingStoreFailsClearly() throws {
        let result = try ScribeKVBinary.run(["--db", "/tmp/scribe-none-\(UUID().uuidString)", "get", "a"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open store"))
    }
}
