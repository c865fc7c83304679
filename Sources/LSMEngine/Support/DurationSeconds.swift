extension Duration {
    /// The duration in seconds, as a floating-point number: for rates, metrics and
    /// APIs that take a `TimeInterval`.
    package var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
