import LSMEngine
import Testing
@testable import ScribeServer

@Suite struct WriteCoalescerTests {
    @Test func concurrentWritesGetTheirOwnConsecutiveSequences() async throws {
        try await withService { service in
            let sequences = try await withThrowingTaskGroup(of: (Int, SequenceNumber).self) { group in
                for i in 0..<300 {
                    group.addTask {
                        if i % 10 == 0 {
                            let last = try await service.apply(
                                [.put(key: Array("b\(i)-1".utf8), value: [1]), .put(key: Array("b\(i)-2".utf8), value: [2])],
                                durability: i % 20 == 0 ? .local : .buffered)
                            return (i, last)
                        }
                        return (i, try await service.put(key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), durability: .local))
                    }
                }
                var all: [(Int, SequenceNumber)] = []
                for try await result in group { all.append(result) }
                return all
            }
            var used = Set<SequenceNumber>()
            for (i, sequence) in sequences {
                if i % 10 == 0 {
                    let second = try await service.lookup(key: Array("b\(i)-2".utf8), atSequence: nil)
                    let first = try await service.lookup(key: Array("b\(i)-1".utf8), atSequence: nil)
                    #expect(second?.sequence == sequence)
                    #expect(first?.sequence == sequence - 1)
                    used.insert(sequence - 1)
                } else {
                    let found = try await service.lookup(key: Array("k\(i)".utf8), atSequence: nil)
                    #expect(found?.sequence == sequence)
                    #expect(found?.value == Array("v\(i)".utf8))
                }
                used.insert(sequence)
            }
            #expect(used == Set(1...330))
        }
    }

    @Test func aFailedRoundFailsItsRequestsAndLaterRoundsStillWork() async throws {
        try await withService { service in
            let tooLong = [UInt8](repeating: 1, count: 70 << 10)
            await #expect(throws: LSMError.self) {
                try await service.put(key: tooLong, value: [], durability: .local)
            }
            let sequence = try await service.put(key: [1], value: [2], durability: .local)
            #expect(sequence > 0)
        }
    }
}
