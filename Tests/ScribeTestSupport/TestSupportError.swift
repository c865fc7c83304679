/// A test fixture that could not be set up (a server that did not start, a
/// helper script that failed), with what went wrong.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
