import ScribeVerifier
import Testing
@testable import LSMEngine
import ScribeBytes
import ScribeCrypto

/// The verifier's RFC 9162 path check, for paths the engine produced; nil for a negative index.
private func rootFromAuditPath(leaf: [UInt8], index: Int, size: Int, path: [[UInt8]]) -> [UInt8]? {
    guard index >= 0 else { return nil }
    return ProofMerkle.rootFromAuditPath(leaf: leaf, index: UInt64(index), size: UInt64(size), path: path)
}

/// RFC 6962 test vectors from Certificate Transparency (the same leaves and tree
/// heads the C++, Go and transparency-dev implementations test against).
private let ctLeafInputs: [String] = [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
]

/// The root of the first n leaves, for n = 0...8.
private let ctRoots: [String] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

private func ctLeafHashes() throws -> [[UInt8]] {
    try ctLeafInputs.map { MerkleTree.leafHash(try #require(Hex.decodeIgnoringCase($0))) }
}

/// RFC 6962 hashing and audit paths (MerkleTree.swift) against the published vectors.
struct MerkleTreeTests {
    @Test func rootsMatchCertificateTransparencyVectorsForEverySize() throws {
        let leaves = try ctLeafHashes()
        for n in 0...leaves.count {
            #expect(Hex.encode(MerkleTree.root(of: Array(leaves.prefix(n)))) == ctRoots[n], "size \(n)")
        }
    }

    @Test func leafAndNodeHashesUseTheRFC6962Prefixes() throws {
        #expect(Hex.encode(MerkleTree.leafHash([UInt8]())) == ctRoots[1])
        let leaves = try ctLeafHashes()
        #expect(Hex.encode(MerkleTree.nodeHash(leaves[0], leaves[1])) == ctRoots[2])
        #expect(MerkleTree.leafHash([0x01]) != SHA256.hash([0x01]))
    }

    @Test func auditPathsMatchPublishedInclusionProofs() throws {
        let leaves = try ctLeafHashes()
        #expect(MerkleTree.auditPath(index: 0, of: leaves).map { Hex.encode($0) } == [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ])
        #expect(MerkleTree.auditPath(index: 5, of: leaves).map { Hex.encode($0) } == [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ])
    }

    @Test func auditPathsVerifyForEveryIndexOfSizesOneToEight() throws {
        let all = try ctLeafHashes()
        for size in 1...8 {
            let leaves = Array(all.prefix(size))
            let root = MerkleTree.root(of: leaves)
            for index in 0..<size {
                let path = MerkleTree.auditPath(index: index, of: leaves)
                #expect(rootFromAuditPath(leaf: leaves[index], index: index, size: size, path: path) == root,
                        "size \(size) index \(index)")
            }
        }
    }

    @Test func auditPathsVerifyInLargerTreesOfEveryShape() {
        let all = (0..<40).map { MerkleTree.leafHash([UInt8($0), UInt8(truncatingIfNeeded: $0 * 7)]) }
        for size in 1...all.count {
            let leaves = Array(all.prefix(size))
            let root = MerkleTree.root(of: leaves)
            for index in 0..<size {
                let path = MerkleTree.auditPath(index: index, of: leaves)
                #expect(rootFromAuditPath(leaf: leaves[index], index: index, size: size, path: path) == root)
            }
        }
    }

    @Test func auditPathsFailWithAWrongLeafIndexOrPath() throws {
        let all = try ctLeafHashes()
        for size in 1...8 {
            let leaves = Array(all.prefix(size))
            let root = MerkleTree.root(of: leaves)
            for index in 0..<size {
                let path = MerkleTree.auditPath(index: index, of: leaves)
                let leaf = leaves[index]
                var wrongLeaf = leaf
                wrongLeaf[0] ^= 0x01
                #expect(rootFromAuditPath(leaf: wrongLeaf, index: index, size: size, path: path) != root)
                for other in -1...size where other != index {
                    #expect(rootFromAuditPath(leaf: leaf, index: other, size: size, path: path) != root,
                            "size \(size) index \(index) claimed as \(other)")
                }
                if !path.isEmpty {
                    #expect(rootFromAuditPath(
                        leaf: leaf, index: index, size: size, path: Array(path.dropLast())) != root)
                    var tampered = path
                    tampered[0][31] ^= 0x80
                    #expect(rootFromAuditPath(leaf: leaf, index: index, size: size, path: tampered) != root)
                }
                #expect(rootFromAuditPath(leaf: leaf, index: index, size: size, path: path + [root]) == nil)
            }
        }
    }

    @Test func auditPathOfASingleLeafIsEmptyAndTheRootIsTheLeaf() throws {
        let leaf = try ctLeafHashes()[0]
        #expect(MerkleTree.auditPath(index: 0, of: [leaf]).isEmpty)
        #expect(rootFromAuditPath(leaf: leaf, index: 0, size: 1, path: []) == leaf)
        #expect(rootFromAuditPath(leaf: leaf, index: 0, size: 0, path: []) == nil)
    }
}

@Test func merkleLevelsMatchTheRecursiveTreeForEverySize() {
    for size in 1...70 {
        let leaves = (0..<size).map { MerkleTree.leafHash([UInt8(truncatingIfNeeded: $0), UInt8(size)]) }
        let levels = MerkleLevels(leaves: leaves)
        #expect(levels.root == MerkleTree.root(of: leaves), "size \(size)")
        for index in 0..<size {
            #expect(levels.auditPath(index: index) == MerkleTree.auditPath(index: index, of: leaves), "\(index) of \(size)")
        }
    }
}
