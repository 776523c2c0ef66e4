#pragma once
// Shared pieces of the vector-math kernels: the clone list and the exp approximation.
#include <stdint.h>
#include <string.h>

// No fused multiply-add contraction: every clone (and the Swift fallbacks, which compile without
// FMA) rounds identically, so elementwise results do not depend on the CPU.
#pragma STDC FP_CONTRACT OFF

#define QV_CLONES __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))

/// Lanes of the fixed-order partial sums used by every reduction (one zmm, two ymm or four xmm).
#define QV_LANES 16

/// e^x with the same constants and operation order as QVTensor's `fastExp` (bit-identical).
static inline float qv_fast_exp(float x) {
    float c = x < -87.0f ? -87.0f : x;
    c = c > 88.0f ? 88.0f : c;
    float n = (c * 1.44269504f + 12582912.0f) - 12582912.0f;
    float f = c - n * 0.69314575f - n * 1.4286068e-6f;
    float p = 1.9875691e-4f;
    p = p * f + 1.3981999e-3f;
    p = p * f + 8.333452e-3f;
    p = p * f + 4.1665796e-2f;
    p = p * f + 0.16666665f;
    p = p * f + 0.5f;
    p = p * f * f + f + 1.0f;
    float biased = n + 127.0f + 8388608.0f;
    int32_t bits;
    memcpy(&bits, &biased, sizeof bits);
    bits = (int32_t)((uint32_t)(bits - 0x4B000000) << 23);
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// Σ p[0..<n] in QV_LANES fixed partial sums (the same order on every clone).
static inline float qv_row_sum(const float *p, long n) {
    float acc[QV_LANES] = {0};
    long i = 0;
    for (; i + QV_LANES <= n; i += QV_LANES)
        for (int l = 0; l < QV_LANES; l++) acc[l] += p[i + l];
    float total = 0;
    for (int l = 0; l < QV_LANES; l++) total += acc[l];
    for (; i < n; i++) total += p[i];
    return total;
}

/// Σ a[i]·b[i] over n contiguous values in QV_LANES fixed partial sums.
static inline float qv_row_dot(const float *a, const float *b, long n) {
    float acc[QV_LANES] = {0};
    long i = 0;
    for (; i + QV_LANES <= n; i += QV_LANES)
        for (int l = 0; l < QV_LANES; l++) acc[l] += a[i + l] * b[i + l];
    float total = 0;
    for (int l = 0; l < QV_LANES; l++) total += acc[l];
    for (; i < n; i++) total += a[i] * b[i];
    return total;
}
