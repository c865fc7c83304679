import Foundation
import LSMEngine
import Logging
import Testing
@testable import ScribeDistributed

/// A closed tier lets its engine go (the store holds the tier's observer, and
/// the tier holds the store): plain, rebuilt and replicating tiers alike.
@Suite struct TierLifetimeTests {
    @Test func closedTiersReleaseTheirStores() async throws {
        let scratch = try TierScratch()
        weak var weakStore: LSMStore?
        weak var weakTier: DurableTier?
        do {
            let tier = try await DurableTier.open(scratch.settings(node: "a"), logger: Logger(label: "p"))
            weakStore = tier.store
            weakTier = tier
            try tier.store.put(Array("k".utf8), Array("v".utf8))
            _ = try await tier.flushAndPublish()
            try await tier.close()
        }
        weak var weakRebuilt: LSMStore?
        do {
            let rebuilt = try await DurableTier.open(scratch.settings(node: "b"), logger: Logger(label: "p"))
            weakRebuilt = rebuilt.store
            #expect(try rebuilt.store.get(Array("k".utf8)) == Array("v".utf8))
            try await rebuilt.close()
        }
        weak var weakReplicated: LSMStore?
        do {
            let tier = try await DurableTier.open(scratch.settings(node: "c"), logger: Logger(label: "p"))
            weakReplicated = tier.store
            let s = try tier.store.put(Array("r".utf8), Array("v".utf8))
            try await tier.waitReplicated(through: s)
            try await tier.close()
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(weakRebuilt == nil)
        #expect(weakReplicated == nil)
        try await Task.sleep(for: .milliseconds(200))
        #expect(weakTier == nil)
        #expect(weakStore == nil)
    }
}
