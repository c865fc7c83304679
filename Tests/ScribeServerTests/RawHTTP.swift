import Foundation
import ScribeTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A response as `RawHTTP` read it.
struct RawHTTPResponse {
    let status: Int
    /// Header names lower-cased.
    let headers: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body's `error.code`, when it is the API's JSON error.
    var errorCode: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return nil }
        return error["code"] as? String
    }
}

/// One HTTP exchange over a plain TCP socket, for what curl cannot send: malformed
/// framing, a body cut short by a half-close, a request head longer than one argument
/// may be.
enum RawHTTP {
    /// Sends `request` to 127.0.0.1:`port` (then shuts down the sending side when
    /// `halfClose`), and reads the first response: until its `Content-Length` is in, or the
    /// server closes. `timeoutSeconds` only guards against a hang.
    static func exchange(port: Int, _ request: [UInt8], halfClose: Bool = false, timeoutSeconds: Int = 30) throws
        -> RawHTTPResponse
    {
        let descriptor = try Loopback.connect(to: port)
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // A server that answers before reading everything (a head over its limit) may stop
        // reading: the answer is read all the same.
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            sent += count
        }
        if halfClose { _ = shutdown(descriptor, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = parse(received) { return response }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw TestSupportError("no complete response within \(timeoutSeconds) s: \(String(decoding: received, as: UTF8.self))")
            } else {
                break
            }
        }
        guard let response = parse(received, complete: true) else {
            throw TestSupportError("not an HTTP response: \(String(decoding: received.prefix(500), as: UTF8.self))")
        }
        return response
    }

    /// The response in `bytes` once its head and `Content-Length` bytes of body are in (or,
    /// when `complete`, whatever body there is).
    private static func parse(_ bytes: [UInt8], complete: Bool = false) -> RawHTTPResponse? {
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: {
            bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
        }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusWords = lines[0].split(separator: " ")
        guard statusWords.count >= 2, statusWords[0].hasPrefix("HTTP/"), let status = Int(statusWords[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.count >= length else { return complete ? RawHTTPResponse(status: status, headers: headers, body: body) : nil }
            return RawHTTPResponse(status: status, headers: headers, body: Array(body.prefix(length)))
        }
        return complete ? RawHTTPResponse(status: status, headers: headers, body: body) : nil
    }
}
