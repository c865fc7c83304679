#ifndef SCRIBE_CLIBFUZZER_H
#define SCRIBE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's own mutation of Data[0..<Size] (at most MaxSize bytes), for a custom
/// mutator to fall back on. Defined by libFuzzer: only a `-sanitize=fuzzer` build may call it.
size_t LLVMFuzzerMutate(uint8_t *Data, size_t Size, size_t MaxSize);

#endif
