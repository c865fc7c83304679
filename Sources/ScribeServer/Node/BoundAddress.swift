import LSMEngine

/// The address the server bound, known once it runs (port 0 picks one).
final class BoundAddress: Sendable {
    private let storage = Locked("")

    var value: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
