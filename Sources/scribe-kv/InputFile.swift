#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file named on the command line.
enum InputFile {
    /// The file's bytes; throws `CommandFailure` naming the file when it cannot be read
    /// or holds more than `limit` bytes.
    static func read(_ path: String, limit: Int, what: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CommandFailure("cannot read \(what) \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw CommandFailure("cannot read \(what) \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw CommandFailure("\(what) \(path) is larger than \(limit) bytes") }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}
