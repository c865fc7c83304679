import Foundation
import ScribeTestSupport
import ScribeVerifier
import Testing
@testable import LSMEngine

/// Regenerates the committed proof test vectors in `Tests/ScribeVerifierTests/Vectors`.
/// Disabled unless `SCRIBE_WRITE_VECTORS=1`:
///
///     SCRIBE_WRITE_VECTORS=1 swift test --filter writeVectors
@Suite struct ProofVectorGeneratorTests {
    /// The source folder of the vectors.
    static let vectorDirectory = URL(fileURLWithPath: SourceTree.path("Tests/ScribeVerifierTests/Vectors"))

    /// The vectors of a fresh store, as file name and contents.
    static func generate() throws -> [(name: String, text: String)] {
        let dir = try TemporaryDirectory("proof-vectors")
        let fixture = try ProofVectorStore(directory: dir.path)
        defer { try? fixture.store.close() }
        return try fixture.vectors().map { vector in
            (vector.name + ".json", JSONWriter.write(vector.json, pretty: true) + "\n")
        }
    }

    /// Builds the vectors from two separate stores, checks they are byte-identical,
    /// then replaces every `*.json` file of the folder with them.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SCRIBE_WRITE_VECTORS"] == "1"))
    func writeVectors() throws {
        let vectors = try Self.generate()
        let again = try Self.generate()
        #expect(vectors.map(\.text) == again.map(\.text), "two stores built the same way gave different vectors")
        #expect(vectors.count >= 20)
        let directory = Self.vectorDirectory.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for old in try FileManager.default.contentsOfDirectory(atPath: directory) where old.hasSuffix(".json") {
            try FileManager.default.removeItem(atPath: directory + "/" + old)
        }
        for (name, text) in vectors {
            try Data(text.utf8).write(to: Self.vectorDirectory.appendingPathComponent(name))
        }
    }
}
