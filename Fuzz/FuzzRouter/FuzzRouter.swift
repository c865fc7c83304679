import FuzzServerSupport
import FuzzSupport

#if FUZZING
import CLibFuzzer
#endif

// The `FuzzRouter` harness (`FuzzServerSupport/FuzzRouter.swift`) as a libFuzzer target or a replayer.
#if FUZZING
/// Sets the node up before the first input, so that no input is charged with it.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    FuzzRouter.prepare()
    return 0
}

/// Half of the mutations are `FuzzRouter.mutate`'s edits of the request, half libFuzzer's
/// own (`LLVMFuzzerMutate`: every built-in mutator, the dictionary and cross-over included).
@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: CUnsignedInt) -> Int {
    if seed & 1 == 0 {
        let mutated = FuzzRouter.mutate(Array(UnsafeBufferPointer(start: data, count: size)), seed: seed >> 1)
        if mutated.count <= maxSize {
            for (i, byte) in mutated.enumerated() { data[i] = byte }
            return mutated.count
        }
    }
    return LLVMFuzzerMutate(data, size, maxSize)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzRouter.run(Array(UnsafeRawBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer the harness replays the files named on the command line
/// (a corpus or crash reproducers), or with `--make-corpus DIR` writes its seeds.
@main
struct ReplayInputs {
    static func main() {
        FuzzSupport.replayMain(run: FuzzRouter.run, seeds: FuzzRouter.seeds)
    }
}
#endif
