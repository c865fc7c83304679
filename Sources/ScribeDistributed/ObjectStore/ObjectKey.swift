/// The key rules every `ObjectStore` enforces: characters from `[A-Za-z0-9._/-]`,
/// no empty component (no leading, trailing or doubled `/`) and no `.` or `..`
/// component, so a key can never leave a store's root directory or prefix.
/// `package` so that test doubles of `ObjectStore` enforce the same rules.
package enum ObjectKey {
    /// Throws `.io` naming the rule `key` breaks.
    package static func validate(_ key: String) throws(ObjectStoreError) {
        guard !key.isEmpty else { throw .io("invalid object key: empty") }
        try validateCharacters(key)
        for component in key.split(separator: "/", omittingEmptySubsequences: false) {
            guard !component.isEmpty else { throw .io("invalid object key \"\(key)\": empty path component") }
            guard component != ".", component != ".." else {
                throw .io("invalid object key \"\(key)\": \(component) component")
            }
        }
    }

    /// Throws `.io` unless `prefix` (a listing prefix, possibly empty or ending in
    /// `/`) uses only key characters and has no `.`/`..` or empty inner component.
    package static func validatePrefix(_ prefix: String) throws(ObjectStoreError) {
        try validateCharacters(prefix)
        let components = prefix.split(separator: "/", omittingEmptySubsequences: false)
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            guard !component.isEmpty || last else {
                throw .io("invalid object key prefix \"\(prefix)\": empty path component")
            }
            guard component != "..", component != "." || last else {
                throw .io("invalid object key prefix \"\(prefix)\": \(component) component")
            }
        }
    }

    private static func validateCharacters(_ text: String) throws(ObjectStoreError) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"),
                 UInt8(ascii: "-"):
                continue
            default:
                throw .io("invalid object key \"\(text)\": only A-Z a-z 0-9 . _ / - are allowed")
            }
        }
    }
}
