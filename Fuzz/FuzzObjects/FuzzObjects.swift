import FuzzSupport

// The `FuzzObjects` harness (`FuzzSupport/FuzzObjects.swift`) as a libFuzzer target or a replayer.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzObjects.run(Array(UnsafeRawBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer the harness replays the files named on the command line
/// (a corpus or crash reproducers), or with `--make-corpus DIR` writes its seeds.
@main
struct ReplayInputs {
    static func main() {
        FuzzSupport.replayMain(run: FuzzObjects.run, seeds: FuzzObjects.seeds)
    }
}
#endif
