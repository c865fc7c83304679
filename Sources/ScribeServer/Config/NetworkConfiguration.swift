#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `[network]`: where the HTTP API listens.
public struct NetworkConfiguration: Sendable, Equatable {
    /// An IPv4 or IPv6 address, or `localhost`.
    public var listenAddress = "127.0.0.1"
    /// TCP port; 0 lets the system pick a free one (tests use this).
    public var clientPort = 8080

    public init(listenAddress: String = "127.0.0.1", clientPort: Int = 8080) {
        self.listenAddress = listenAddress
        self.clientPort = clientPort
    }

    init(reading settings: SettingReader) throws {
        listenAddress = try settings.string("network.listen_address")
        clientPort = try settings.integer("network.client_port")
        guard listenAddress == "localhost" || Self.isIPAddress(listenAddress) else {
            throw settings.conflict("network.listen_address", "must be an IPv4 or IPv6 address, or localhost")
        }
    }

    /// Whether only this machine can reach the listener: `localhost`, 127.0.0.0/8 or `::1`.
    public var isLoopback: Bool {
        if listenAddress == "localhost" { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, listenAddress, &ipv4) == 1 {
            return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, listenAddress, &ipv6) == 1 {
            return withUnsafeBytes(of: &ipv6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return inet_pton(AF_INET, text, &ipv4) == 1 || inet_pton(AF_INET6, text, &ipv6) == 1
    }
}
