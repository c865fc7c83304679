import LSMEngine
import ScribeDistributed

print("scribe-node: the HTTP server arrives with issue #6; segment format v\(ScribeDistributed.segmentFormatVersion)")
