import CNodeSupport
import Glibc

/// The process's listening sockets, kept from outliving a crash (docs/design.md,
/// scribe-node, "A crash gives up the port").
public enum ListeningSockets {
    /// A fatal-signal handler could not be installed.
    public struct InstallError: Error, CustomStringConvertible {
        /// The `errno` of the failed `sigaction`.
        public let code: Int32
        public var description: String { "sigaction: \(String(cString: strerror(code)))" }
    }

    /// Makes SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP close every listening
    /// socket before the handler installed earlier runs — the Swift runtime's backtracer,
    /// which installs itself before `main` and takes seconds over its crash report — and
    /// then end the process. Call once, at the start of the node.
    public static func releaseOnCrash() throws {
        let error = scribe_release_listening_sockets_on_crash()
        guard error == 0 else { throw InstallError(code: error) }
    }

    /// Sets close-on-exec on every listening socket (SwiftNIO opens them without it), so no
    /// program the process starts inherits one. Returns how many there are.
    @discardableResult
    static func setCloseOnExec() -> Int {
        Int(scribe_listening_sockets_set_cloexec())
    }
}
