/// `[cluster]`: reserved. A file may contain an empty `[cluster]` table; any key
/// in it is rejected until clustering is configured by its own issue.
public struct ClusterConfiguration: Sendable, Equatable {
    public init() {}
}
