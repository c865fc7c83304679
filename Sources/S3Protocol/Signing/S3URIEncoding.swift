/// URI encoding as Signature Version 4 defines it for S3: every byte of the UTF-8
/// form except the unreserved `A-Z a-z 0-9 - . _ ~` becomes `%XY` with uppercase
/// hex; `/` is kept in paths and encoded in query names and values. S3 paths are
/// encoded once (not twice as for other services), and the same spelling is what
/// goes on the wire, so the signed path is the sent path.
public enum S3URIEncoding {
    /// An object path (`/bucket/key`): `/` kept.
    public static func path(_ text: String) -> String {
        encode(text, keepSlash: true)
    }

    /// A query parameter's name or value: `/` encoded.
    public static func queryComponent(_ text: String) -> String {
        encode(text, keepSlash: false)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func encode(_ text: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
