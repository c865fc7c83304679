#include "CLSMSupport.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>
#endif

static uint32_t table[256];
static int table_ready = 0;

static void build_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : (c >> 1);
        }
        table[i] = c;
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

uint32_t clsm_crc32c_extend_portable(uint32_t crc, const uint8_t *data, size_t n) {
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE)) {
        build_table();
    }
    uint32_t c = ~crc;
    for (size_t i = 0; i < n; i++) {
        c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    }
    return ~c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t crc, const uint8_t *data, size_t n) {
    uint64_t c = ~crc;
    while (n > 0 && ((uintptr_t)data & 7) != 0) {
        c = _mm_crc32_u8((uint32_t)c, *data);
        data++;
        n--;
    }
    while (n >= 8) {
        uint64_t word;
        __builtin_memcpy(&word, data, 8);
        c = _mm_crc32_u64(c, word);
        data += 8;
        n -= 8;
    }
    while (n > 0) {
        c = _mm_crc32_u8((uint32_t)c, *data);
        data++;
        n--;
    }
    return ~(uint32_t)c;
}

static int detect_hardware(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return (ecx & bit_SSE4_2) != 0;
}
#endif

/* 0 = unknown, 1 = hardware, 2 = portable */
static int mode = 0;

static int current_mode(void) {
    int m = __atomic_load_n(&mode, __ATOMIC_RELAXED);
    if (m == 0) {
#if defined(__x86_64__)
        m = detect_hardware() ? 1 : 2;
#else
        m = 2;
#endif
        __atomic_store_n(&mode, m, __ATOMIC_RELAXED);
    }
    return m;
}

int clsm_crc32c_is_hardware(void) {
    return current_mode() == 1;
}

uint32_t clsm_crc32c_extend(uint32_t crc, const uint8_t *data, size_t n) {
#if defined(__x86_64__)
    if (current_mode() == 1) {
        return crc32c_hardware(crc, data, n);
    }
#endif
    return clsm_crc32c_extend_portable(crc, data, n);
}
