import Hummingbird
import Testing
@testable import ScribeServer

@Suite struct APIErrorTests {
    @Test func rolesIncludeTheOnesBelowThem() {
        #expect(Role.read < Role.readWrite)
        #expect(Role.readWrite < Role.admin)
        #expect(Role(rawValue: "read-write") == .readWrite)
    }
}
