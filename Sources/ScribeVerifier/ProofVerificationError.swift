/// Why a proof did not verify, in words that name the failing part.
public struct ProofVerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
