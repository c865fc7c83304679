#ifndef CLSM_SUPPORT_H
#define CLSM_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/// Extends a CRC32C (Castagnoli) checksum `crc` over `n` bytes at `data`.
/// Pass 0 to start a new checksum. Uses the SSE4.2 `crc32` instruction when
/// the CPU has it, a table otherwise; both give identical results.
uint32_t clsm_crc32c_extend(uint32_t crc, const uint8_t *data, size_t n);

/// 1 when the hardware path is in use, 0 for the table fallback.
int clsm_crc32c_is_hardware(void);

/// Forces the table implementation (for tests that compare both paths).
uint32_t clsm_crc32c_extend_portable(uint32_t crc, const uint8_t *data, size_t n);

/// Acquire-load of a pointer-sized word; the skip list's readers use it to
/// follow links published by the single writer.
static inline void *clsm_load_acquire(void *const *slot) {
    return __atomic_load_n((void **)slot, __ATOMIC_ACQUIRE);
}

/// Release-store of a pointer-sized word: everything written before it is
/// visible to a reader that acquire-loads the new value.
static inline void clsm_store_release(void **slot, void *value) {
    __atomic_store_n(slot, value, __ATOMIC_RELEASE);
}

/// Relaxed load, for links the loading thread itself wrote.
static inline void *clsm_load_relaxed(void *const *slot) {
    return __atomic_load_n((void **)slot, __ATOMIC_RELAXED);
}

/// Relaxed store, for a node's own links before it is published.
static inline void clsm_store_relaxed(void **slot, void *value) {
    __atomic_store_n(slot, value, __ATOMIC_RELAXED);
}

/// Hints the CPU to start loading the cache line at `address` (a skip-list
/// node about to be compared); no effect on correctness, nil is fine.
static inline void clsm_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 1);
}

#endif
