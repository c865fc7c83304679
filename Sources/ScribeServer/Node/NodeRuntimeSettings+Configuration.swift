import NIOSSL

extension NodeRuntimeSettings {
    /// The runtime settings a validated configuration implies; loads the TLS
    /// certificate and key when TLS is enabled (throws naming the file when it cannot).
    public init(_ node: NodeConfiguration) throws {
        self.init(
            nodeID: node.node.id, dataDirectory: node.node.dataDir, storeOptions: node.storeOptions(),
            host: node.network.listenAddress, port: node.network.clientPort,
            api: APISettings(
                maxValueSize: node.storage.maxValueSize, maxKeySize: node.storage.maxKeySize,
                defaultDurability: node.storage.durability, replicationAvailable: node.storage.objectStore != nil),
            tls: node.security.tls.enabled
                ? try TLSSetup.serverConfiguration(certificatePath: node.security.tls.certPath, keyPath: node.security.tls.keyPath)
                : nil,
            tier: node.durableTierPlan)
    }
}
