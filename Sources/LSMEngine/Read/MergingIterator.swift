/// Merges several internal iterators into one ordered stream, in either
/// direction, switching direction as LevelDB's merging iterator does.
/// Children never share an internal key (sequence numbers are unique).
final class MergingIterator: InternalIterator {
    private let children: [InternalIterator]
    private var current: Int?
    private var forward = true

    init(_ children: [InternalIterator]) {
        self.children = children
    }

    var isValid: Bool { current != nil }
    var key: UnsafeRawBufferPointer { children[current ?? 0].key }
    var value: UnsafeRawBufferPointer { children[current ?? 0].value }

    func seekToFirst() throws {
        for child in children { try child.seekToFirst() }
        forward = true
        findSmallest()
    }

    func seekToLast() throws {
        for child in children { try child.seekToLast() }
        forward = false
        findLargest()
    }

    func seek(_ target: UnsafeRawBufferPointer) throws {
        for child in children { try child.seek(target) }
        forward = true
        findSmallest()
    }

    func seekForPrev(_ target: UnsafeRawBufferPointer) throws {
        for child in children { try child.seekForPrev(target) }
        forward = false
        findLargest()
    }

    func next() throws {
        guard let current else { return }
        if !forward {
            let target = Array(children[current].key)
            try target.withUnsafeBytes { t in
                for (i, child) in children.enumerated() where i != current {
                    try child.seek(t)
                    if child.isValid && compareEncodedInternalKeys(child.key, t) == 0 { try child.next() }
                }
            }
            forward = true
        }
        try children[current].next()
        findSmallest()
    }

    func prev() throws {
        guard let current else { return }
        if forward {
            let target = Array(children[current].key)
            try target.withUnsafeBytes { t in
                for (i, child) in children.enumerated() where i != current {
                    try child.seekForPrev(t)
                    if child.isValid && compareEncodedInternalKeys(child.key, t) == 0 { try child.prev() }
                }
            }
            forward = false
        }
        try children[current].prev()
        findLargest()
    }

    private func findSmallest() {
        current = nil
        for (i, child) in children.enumerated() where child.isValid {
            if let c = current, compareEncodedInternalKeys(child.key, children[c].key) >= 0 { continue }
            current = i
        }
    }

    private func findLargest() {
        current = nil
        for (i, child) in children.enumerated() where child.isValid {
            if let c = current, compareEncodedInternalKeys(child.key, children[c].key) <= 0 { continue }
            current = i
        }
    }
}
