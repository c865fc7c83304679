/// Why the durable tier refused or failed an operation.
public enum DurableTierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The object store did not take the data in time (a `replicated` write past
    /// `replicationTimeout`, or a flush that could not upload). The data is still
    /// in the local WAL; shipping resumes when the store returns.
    case unavailable(String)
    /// What the object store holds cannot be used (a manifest or WAL object that
    /// fails its checks, a segment missing).
    case corrupt(String)
    /// The tier was closed.
    case closed

    public var description: String {
        switch self {
        case let .unavailable(reason): return "object storage unavailable: \(reason)"
        case let .corrupt(reason): return "object storage holds unusable data: \(reason)"
        case .closed: return "the durable tier is closed"
        }
    }
}
