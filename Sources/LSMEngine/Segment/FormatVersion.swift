/// The segment (SSTable) format version this build writes and reads.
public let segmentFormatVersion: UInt32 = 1
