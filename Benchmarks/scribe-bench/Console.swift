#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output without Foundation: result lines go to stdout, progress and
/// diagnostics to stderr, and numbers are formatted with C's `printf`
/// conversions so the text matches db_bench's byte for byte.
enum Console {
    /// Writes `text` to stdout (file descriptor 1), unbuffered, so a result is
    /// visible before the next benchmark starts.
    static func out(_ text: String) {
        emit(text, to: 1)
    }

    /// Writes `text` to stderr (file descriptor 2), unbuffered.
    static func err(_ text: String) {
        emit(text, to: 2)
    }

    private static func emit(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, base + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// `snprintf(format, args...)` for numeric arguments (`Int`, `UInt64`,
    /// `Double`); strings are padded in Swift (`padRight`) because `String`
    /// is not a C variadic argument without Foundation.
    static func format(_ format: String, _ args: CVarArg...) -> String {
        let needed = withVaList(args) { vsnprintf(nil, 0, format, $0) }
        guard needed > 0 else { return "" }
        var buffer = [CChar](repeating: 0, count: Int(needed) + 1)
        _ = withVaList(args) { va in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, va) }
        }
        return String(decoding: buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `text` followed by spaces up to `width` characters (printf's `%-Ns`).
    static func padRight(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }
}
