import HTTPTypes
import LSMEngine
import ScribeDistributed

/// The API's errors about the object store and replication.
extension APIError {
    /// `Retry-After` of a 503 caused by the object store: its outage has no known end,
    /// so clients are asked to come back soon rather than at a fixed later time.
    static let objectStoreRetryAfterSeconds = 1

    /// A `replicated` write on a node without an object store (400).
    static let replicationNotConfigured = APIError.badRequest(
        "bad_header",
        "X-Scribe-Durability: replicated needs an object store, and this node has none "
            + "(configure storage.object_store_dir or [storage.s3]); use local or buffered")

    /// A `replicated` write that is durable on this node at `sequence` but was not
    /// confirmed in the object store: 503 `replication_unavailable` with `Retry-After`
    /// and `X-Scribe-Sequence` when the store did not take it in time, 503 `unavailable`
    /// when the node is shutting down, 500 when the store holds unusable data.
    static func notReplicated(sequence: SequenceNumber, _ error: DurableTierError) -> APIError {
        let local = "the write is durable on this node at sequence \(sequence) but is not acknowledged as replicated"
        var headers: HTTPFields = [.scribeSequence: String(sequence)]
        switch error {
        case let .unavailable(reason):
            headers[.retryAfter] = String(objectStoreRetryAfterSeconds)
            return APIError(
                .serviceUnavailable, code: "replication_unavailable",
                "\(local): the object store did not take its WAL batch in time (\(reason)). It is shipped when the "
                    + "store is back; writing it again adds another version",
                headers: headers)
        case .closed:
            return APIError(.serviceUnavailable, code: "unavailable", "\(local): the node is shutting down", headers: headers)
        case let .corrupt(reason):
            return APIError(.internalServerError, code: "storage_error", "\(local): \(reason)", headers: headers)
        }
    }

    /// The object store was needed and could not be used (a flush that could not
    /// upload or publish, a segment that could not be fetched): 503 `object_store_unavailable`
    /// with `Retry-After`.
    static func objectStoreUnavailable(_ message: String) -> APIError {
        APIError(
            .serviceUnavailable, code: "object_store_unavailable", message,
            headers: [.retryAfter: String(objectStoreRetryAfterSeconds)])
    }

    /// A durable tier failure outside a replicated write's acknowledgment.
    static func map(_ error: DurableTierError) -> APIError {
        switch error {
        case .unavailable: return objectStoreUnavailable("\(error)")
        case .closed: return unavailable("\(error)")
        case .corrupt: return APIError(.internalServerError, code: "storage_error", "\(error)")
        }
    }
}
