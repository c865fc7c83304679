/// One call made to a `FaultInjectingObjectStore`, as its fault rules see it.
public struct ObjectStoreCall: Sendable, Equatable, CustomStringConvertible {
    /// The `ObjectStore` method called (`get` with a range is `getRange`).
    public enum Operation: String, Sendable, CaseIterable {
        case put
        case putFile
        case get
        case getRange
        case head
        case list
        case delete

        /// The HTTP method S3 would send, for error messages shaped like `S3ObjectStore`'s.
        var method: String {
            switch self {
            case .put, .putFile: return "PUT"
            case .get, .getRange, .list: return "GET"
            case .head: return "HEAD"
            case .delete: return "DELETE"
            }
        }
    }

    public let operation: Operation
    /// The object's key; for `list`, the listing prefix.
    public let key: String
    /// The bytes asked for by `getRange`, nil otherwise.
    public let range: Range<UInt64>?

    public init(_ operation: Operation, key: String, range: Range<UInt64>? = nil) {
        self.operation = operation
        self.key = key
        self.range = range
    }

    public var description: String {
        operation.rawValue + " " + key + (range.map { " [\($0.lowerBound)..<\($0.upperBound)]" } ?? "")
    }
}
