import FuzzSupport

// The `FuzzS3XML` harness (`FuzzSupport/FuzzS3XML.swift`) as a libFuzzer target or a replayer.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzS3XML.run(Array(UnsafeRawBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer the harness replays the files named on the command line
/// (a corpus or crash reproducers), or with `--make-corpus DIR` writes its seeds.
@main
struct ReplayInputs {
    static func main() {
        FuzzSupport.replayMain(run: FuzzS3XML.run, seeds: FuzzS3XML.seeds)
    }
}
#endif
