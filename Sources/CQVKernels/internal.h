#pragma once
// Shared internals of the integer GEMM: tile geometry, the per-path function table and the
// epilogue / quantizer bodies that every path instantiates under its own target attribute.
// Every body is plain element-wise IEEE arithmetic in a fixed order with FP contraction off, so all
// paths produce bit-identical floats.
#include "qvkernels.h"
#include <math.h>
#include <string.h>

#pragma clang fp contract(off)

#define QVK_MR 6            // rows per tile
#define QVK_NR 64           // columns per weight panel
#define QVK_KALIGN 64       // K padding for per-channel weights

#define QVK_INLINE static inline __attribute__((always_inline))
#define QVK_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
#define QVK_TARGET_AVXVNNI __attribute__((target("avx2,fma,avxvnni")))
#define QVK_TARGET_AVX2 __attribute__((target("avx2,fma")))

/// Computes tile[r][j] = Σ_{k ∈ [k0, k0 + 4·k4steps)} rows[r][k] · wvalue(j, k) for r < QVK_MR,
/// j < QVK_NR. `panel` points at the start of the weight panel (k = 0); k0 is a multiple of 8.
typedef void (*qvk_tile_fn)(const uint8_t *const rows[QVK_MR], int32_t k0, const uint8_t *panel,
                            int32_t k4steps, int32_t *tile);

typedef struct {
    const uint8_t *rows[QVK_MR];
    int32_t nrows;           // valid rows in this tile
    int32_t ncols;           // valid columns in this panel
    int32_t n0;              // first column of the panel
} qvk_tile_geometry;

/// Per-channel epilogue: y = s_a s_w (D + bw S_a − z_a cw) + bias, in double.
typedef void (*qvk_epi_channel_fn)(const int32_t *tile, const qvk_tile_geometry *g,
                                   const qvk_activations *a, int32_t m0, const qvk_weights *w,
                                   const float *bias, float *y);
/// Per-group accumulation: acc += (s_a s_w)(D + bw S_a − z_a cw), in float, for group gi.
typedef void (*qvk_epi_group_fn)(const int32_t *tile, const qvk_tile_geometry *g,
                                 const qvk_activations *a, int32_t m0, const qvk_weights *w,
                                 int32_t gi, float *acc);

typedef struct {
    qvk_tile_fn tile_bytes;    // weights of 5..8 bits, one per byte
    qvk_tile_fn tile_nibbles;  // weights of 2..4 bits, two per byte
    qvk_epi_channel_fn epi_channel;
    qvk_epi_group_fn epi_group;
} qvk_path_ops;

/// Path tables (one per translation unit). `activation_bits` selects the AVX2 variant.
void qvk_ops_scalar(qvk_path_ops *ops);
void qvk_ops_avx2(qvk_path_ops *ops, int32_t activation_bits);
void qvk_ops_avxvnni(qvk_path_ops *ops);
void qvk_ops_avx512(qvk_path_ops *ops);

/// Quantize rows with a vectorizable body (per target) or scalar code.
void qvk_quantize_rows_scalar(qvk_activations *a, const float *x, int32_t r0, int32_t r1, int32_t *bad);
void qvk_quantize_rows_avx512(qvk_activations *a, const float *x, int32_t r0, int32_t r1, int32_t *bad);
void qvk_quantize_rows_avx2(qvk_activations *a, const float *x, int32_t r0, int32_t r1, int32_t *bad);

/// Byte offset of column block `panel` (QVK_NR wide) in the packed weights.
QVK_INLINE size_t qvk_panel_offset(const qvk_weights *w, int32_t panel) {
    size_t per_panel = (size_t)w->k_padded * QVK_NR;
    return w->bits > 4 ? per_panel * (size_t)panel : per_panel / 2 * (size_t)panel;
}

QVK_INLINE int32_t qvk_load_i32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

// ---- epilogue bodies ------------------------------------------------------------------------

QVK_INLINE void qvk_epi_channel_body(const int32_t *tile, const qvk_tile_geometry *g,
                                     const qvk_activations *a, int32_t m0, const qvk_weights *w,
                                     const float *bias, float *y) {
    const double *bw = w->ch_bw + g->n0, *cw = w->ch_cw + g->n0, *sw = w->ch_sw + g->n0;
    const float *b = bias ? bias + g->n0 : w->zero_bias + g->n0;
    const int32_t ncols = g->ncols;
    for (int32_t r = 0; r < g->nrows; r++) {
        const int32_t m = m0 + r;
        const double sa_sum = (double)a->qsum[m];
        const double za = (double)a->zero[m];
        const double sa = (double)a->scale[m];
        const int32_t *t = tile + r * QVK_NR;
        float *out = y + (size_t)m * (size_t)w->n + (size_t)g->n0;
        for (int32_t j = 0; j < ncols; j++) {
            double corrected = (double)t[j] + bw[j] * sa_sum - za * cw[j];
            double v = (sa * sw[j]) * corrected + (double)b[j];
            out[j] = (float)v;
        }
    }
}

QVK_INLINE void qvk_epi_group_body(const int32_t *tile, const qvk_tile_geometry *g,
                                   const qvk_activations *a, int32_t m0, const qvk_weights *w,
                                   int32_t gi, float *acc) {
    const size_t off = (size_t)gi * (size_t)w->n_padded + (size_t)g->n0;
    const float *bw = w->g_bw + off, *cw = w->g_cw + off, *sw = w->g_sw + off;
    for (int32_t r = 0; r < g->nrows; r++) {
        const size_t ai = (size_t)(m0 + r) * (size_t)a->groups + (size_t)gi;
        const float sa_sum = (float)a->qsum[ai];
        const float za = a->zero[ai];
        const float sa = a->scale[ai];
        const int32_t *t = tile + r * QVK_NR;
        float *acc_row = acc + r * QVK_NR;
        for (int32_t j = 0; j < QVK_NR; j++) {
            float corrected = (float)t[j] + bw[j] * sa_sum - za * cw[j];
            acc_row[j] = acc_row[j] + (sa * sw[j]) * corrected;
        }
    }
}

// ---- quantization ----------------------------------------------------------------------------

/// round(v) for v already clamped to [0, P] (half away from zero, as roundf / Swift .rounded()).
QVK_INLINE float qvk_round_nonneg(float v) {
    float t = (float)(int32_t)v;
    return (v - t >= 0.5f) ? t + 1.0f : t;
}

/// q = clamp(round(x/s + z), 0, P)
QVK_INLINE uint8_t qvk_quantize_value(float x, float s, float z, float pmax) {
    float v = x / s + z;
    v = v < 0.0f ? 0.0f : v;
    v = v > pmax ? pmax : v;
    return (uint8_t)(int32_t)qvk_round_nonneg(v);
}

/// Min/max rule shared by weights and activations: s = (max − min)/P, z = round(−min/s); a constant
/// range maps the constant exactly (s = |c|/P, or 1 for c = 0).
QVK_INLINE void qvk_minmax_params(float mn, float mx, float pmax, float *s, float *z) {
    float scale = (mx - mn) / pmax;
    if (!(scale > 0.0f) || !isfinite(scale)) {
        float c = fabsf(mx) > fabsf(mn) ? fabsf(mx) : fabsf(mn);
        scale = c > 0.0f ? c / pmax : 1.0f;
    }
    *s = scale;
    *z = roundf(-mn / scale);
}

/// Quantize one contiguous run of `len` values; returns Σ q. Writes q to out.
QVK_INLINE int32_t qvk_quantize_run(const float *x, int32_t len, float pmax, uint8_t *out,
                                    float *s_out, float *z_out, int32_t *bad) {
    float mn = x[0], mx = x[0];
    int32_t nonfinite = 0;
    for (int32_t i = 0; i < len; i++) {
        float v = x[i];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
        nonfinite |= !(fabsf(v) <= 3.40282347e38f);
    }
    if (nonfinite) { *bad = 1; mn = 0.0f; mx = 0.0f; }
    float s, z;
    qvk_minmax_params(mn, mx, pmax, &s, &z);
    int32_t sum = 0;
    for (int32_t i = 0; i < len; i++) {
        uint8_t q = qvk_quantize_value(x[i], s, z, pmax);
        out[i] = q;
        sum += q;
    }
    *s_out = s;
    *z_out = z;
    return sum;
}

QVK_INLINE void qvk_quantize_rows_body(qvk_activations *a, const float *x, int32_t r0, int32_t r1,
                                       int32_t *bad) {
    const float pmax = (float)((1 << a->bits) - 1);
    const int32_t glen = a->group > 0 ? a->group : a->k;
    for (int32_t m = r0; m < r1; m++) {
        const float *row = x + (size_t)m * (size_t)a->k;
        uint8_t *q = a->q + (size_t)m * (size_t)a->k_padded;
        for (int32_t gi = 0; gi < a->groups; gi++) {
            int32_t start = gi * glen;
            int32_t len = a->k - start < glen ? a->k - start : glen;
            size_t idx = (size_t)m * (size_t)a->groups + (size_t)gi;
            a->qsum[idx] = qvk_quantize_run(row + start, len, pmax, q + start, &a->scale[idx],
                                            &a->zero[idx], bad);
        }
        memset(q + a->k, 0, (size_t)(a->k_padded - a->k));
    }
}
