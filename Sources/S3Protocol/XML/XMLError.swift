/// Why `XMLReader` rejected a document: the byte offset where reading stopped and
/// what was wrong there.
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "malformed XML at byte \(offset): \(reason)" }
}
