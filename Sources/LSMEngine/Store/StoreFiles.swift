/// File names inside a store directory.
enum StoreFiles {
    static let lockName = "LOCK"

    static func walName(_ number: UInt64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".log"
    }

    /// File numbers stay below 2^48, so allocation can never overflow.
    static let maxFileNumber: UInt64 = 1 << 48

    /// The number of a WAL file name, or nil for other files (including names
    /// whose number is out of the range the engine allocates).
    static func walNumber(_ name: String) -> UInt64? {
        guard name.hasSuffix(".log") else { return nil }
        let stem = name.dropLast(4)
        guard !stem.isEmpty, stem.utf8.count <= 15, stem.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let number = UInt64(stem), number <= maxFileNumber else { return nil }
        return number
    }

    /// Deletes WAL files numbered below `number`; their entries are in segments.
    /// Failures are ignored: a leftover WAL is skipped by recovery and removed next time.
    static func removeWALs(in directory: String, below number: UInt64, fileSystem: any FileSystem) {
        guard let names = try? fileSystem.listDirectory(directory) else { return }
        for name in names {
            if let n = walNumber(name), n < number {
                try? fileSystem.remove(directory + "/" + name)
            }
        }
    }
}
