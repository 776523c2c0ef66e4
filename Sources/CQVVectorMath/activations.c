// Transcendental activations, vectorised through the shared exp approximation.
#include "qvvectormath.h"
#include "internal.h"

static const float gelu_c = 0.79788456f;  // √(2/π)

QV_CLONES
void qv_gelu(const float *restrict x, float *restrict y, float *restrict slope, long n) {
    if (slope) {
        for (long i = 0; i < n; i++) {
            float v = x[i], u = gelu_c * (v + 0.044715f * v * v * v);
            float t = 1.0f - 2.0f / (qv_fast_exp(2.0f * u) + 1.0f);
            y[i] = 0.5f * v * (1.0f + t);
            slope[i] = 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * gelu_c * (1.0f + 3.0f * 0.044715f * v * v);
        }
    } else {
        for (long i = 0; i < n; i++) {
            float v = x[i], u = gelu_c * (v + 0.044715f * v * v * v);
            float t = 1.0f - 2.0f / (qv_fast_exp(2.0f * u) + 1.0f);
            y[i] = 0.5f * v * (1.0f + t);
        }
    }
}

QV_CLONES
void qv_silu(const float *restrict x, float *restrict y, float *restrict slope, long n) {
    for (long i = 0; i < n; i++) {
        float v = x[i], s = 1.0f / (1.0f + qv_fast_exp(-v));
        y[i] = v * s;
        if (slope) slope[i] = s * (1.0f + v * (1.0f - s));
    }
}

QV_CLONES
void qv_exp(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = qv_fast_exp(x[i]);
}

const char *qv_vector_math_path(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "x86-64-v3";
    return "default";
}
