// AVX-512 VNNI path: 6 × 64 tiles, 24 zmm accumulators, one `vpdpbusd` per (row, 16 columns, 4 k).
// The activation's 4 bytes are broadcast to all lanes; the weight panel stores, for every 4 k, the
// 4 bytes of each of 64 columns side by side (256 bytes), so one zmm load holds 16 columns × 4 k.
// 4-bit panels store two k4 steps per 256 bytes (low nibble = even step, high nibble = odd step)
// and are unpacked in registers with and/shift.
#include "internal.h"
#include <immintrin.h>

QVK_INLINE QVK_TARGET_AVX512 void store_tile512(__m512i acc[QVK_MR][4], int32_t *tile) {
    for (int r = 0; r < QVK_MR; r++)
        for (int j = 0; j < 4; j++)
            _mm512_storeu_si512((void *)(tile + r * QVK_NR + 16 * j), acc[r][j]);
}

static QVK_TARGET_AVX512 void tile_bytes_avx512(const uint8_t *const rows[QVK_MR], int32_t k0,
                                                const uint8_t *panel, int32_t k4steps, int32_t *tile) {
    __m512i acc[QVK_MR][4];
    for (int r = 0; r < QVK_MR; r++)
        for (int j = 0; j < 4; j++) acc[r][j] = _mm512_setzero_si512();
    const uint8_t *wp = panel + (size_t)(k0 / 4) * 256;
    const uint8_t *a0 = rows[0] + k0, *a1 = rows[1] + k0, *a2 = rows[2] + k0;
    const uint8_t *a3 = rows[3] + k0, *a4 = rows[4] + k0, *a5 = rows[5] + k0;
    for (int32_t s = 0; s < k4steps; s++) {
        __m512i w0 = _mm512_loadu_si512((const void *)(wp + 0));
        __m512i w1 = _mm512_loadu_si512((const void *)(wp + 64));
        __m512i w2 = _mm512_loadu_si512((const void *)(wp + 128));
        __m512i w3 = _mm512_loadu_si512((const void *)(wp + 192));
        __m512i b;
#define QVK_ROW512(R, A)                                                    \
        b = _mm512_set1_epi32(qvk_load_i32(A + 4 * s));                      \
        acc[R][0] = _mm512_dpbusd_epi32(acc[R][0], b, w0);                   \
        acc[R][1] = _mm512_dpbusd_epi32(acc[R][1], b, w1);                   \
        acc[R][2] = _mm512_dpbusd_epi32(acc[R][2], b, w2);                   \
        acc[R][3] = _mm512_dpbusd_epi32(acc[R][3], b, w3);
        QVK_ROW512(0, a0) QVK_ROW512(1, a1) QVK_ROW512(2, a2)
        QVK_ROW512(3, a3) QVK_ROW512(4, a4) QVK_ROW512(5, a5)
        wp += 256;
    }
    store_tile512(acc, tile);
}

static QVK_TARGET_AVX512 void tile_nibbles_avx512(const uint8_t *const rows[QVK_MR], int32_t k0,
                                                  const uint8_t *panel, int32_t k4steps, int32_t *tile) {
    __m512i acc[QVK_MR][4];
    for (int r = 0; r < QVK_MR; r++)
        for (int j = 0; j < 4; j++) acc[r][j] = _mm512_setzero_si512();
    const __m512i low = _mm512_set1_epi8(0x0F);
    const uint8_t *wp = panel + (size_t)(k0 / 8) * 256;
    const uint8_t *a0 = rows[0] + k0, *a1 = rows[1] + k0, *a2 = rows[2] + k0;
    const uint8_t *a3 = rows[3] + k0, *a4 = rows[4] + k0, *a5 = rows[5] + k0;
    for (int32_t s = 0; s < k4steps; s += 2) {
        __m512i v0 = _mm512_loadu_si512((const void *)(wp + 0));
        __m512i v1 = _mm512_loadu_si512((const void *)(wp + 64));
        __m512i v2 = _mm512_loadu_si512((const void *)(wp + 128));
        __m512i v3 = _mm512_loadu_si512((const void *)(wp + 192));
        __m512i w0 = _mm512_and_si512(v0, low), w1 = _mm512_and_si512(v1, low);
        __m512i w2 = _mm512_and_si512(v2, low), w3 = _mm512_and_si512(v3, low);
        __m512i b;
        QVK_ROW512(0, a0) QVK_ROW512(1, a1) QVK_ROW512(2, a2)
        QVK_ROW512(3, a3) QVK_ROW512(4, a4) QVK_ROW512(5, a5)
        w0 = _mm512_and_si512(_mm512_srli_epi16(v0, 4), low);
        w1 = _mm512_and_si512(_mm512_srli_epi16(v1, 4), low);
        w2 = _mm512_and_si512(_mm512_srli_epi16(v2, 4), low);
        w3 = _mm512_and_si512(_mm512_srli_epi16(v3, 4), low);
        s += 1;
        QVK_ROW512(0, a0) QVK_ROW512(1, a1) QVK_ROW512(2, a2)
        QVK_ROW512(3, a3) QVK_ROW512(4, a4) QVK_ROW512(5, a5)
        s -= 1;
        wp += 256;
    }
#undef QVK_ROW512
    store_tile512(acc, tile);
}

static QVK_TARGET_AVX512 void epi_channel_avx512(const int32_t *tile, const qvk_tile_geometry *g,
                                                 const qvk_activations *a, int32_t m0,
                                                 const qvk_weights *w, const float *bias, float *y) {
    qvk_epi_channel_body(tile, g, a, m0, w, bias, y);
}

static QVK_TARGET_AVX512 void epi_group_avx512(const int32_t *tile, const qvk_tile_geometry *g,
                                               const qvk_activations *a, int32_t m0,
                                               const qvk_weights *w, int32_t gi, float *acc) {
    qvk_epi_group_body(tile, g, a, m0, w, gi, acc);
}

void qvk_ops_avx512(qvk_path_ops *ops) {
    ops->tile_bytes = tile_bytes_avx512;
    ops->tile_nibbles = tile_nibbles_avx512;
    ops->epi_channel = epi_channel_avx512;
    ops->epi_group = epi_group_avx512;
}

/// qvk_quantize_run with 16-lane intrinsics; the same IEEE operations in the same order per
/// element (x/s + z, clamp, round half away from zero), so the bytes equal the scalar path's.
static QVK_TARGET_AVX512 int32_t quantize_run_avx512(const float *x, int32_t len, float pmax, uint8_t *out,
                                                      float *s_out, float *z_out, int32_t *bad) {
    const __m512 first = _mm512_set1_ps(x[0]);
    const __m512 fmax = _mm512_set1_ps(3.40282347e38f);
    __m512 vmin = first, vmax = first;
    __mmask16 finite = 0xFFFF;
    for (int32_t i = 0; i < len; i += 16) {
        int32_t rem = len - i;
        __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
        __m512 v = _mm512_mask_loadu_ps(first, m, x + i);
        vmin = _mm512_min_ps(vmin, v);
        vmax = _mm512_max_ps(vmax, v);
        finite &= _mm512_cmp_ps_mask(_mm512_abs_ps(v), fmax, _CMP_LE_OQ);
    }
    float mn = _mm512_reduce_min_ps(vmin), mx = _mm512_reduce_max_ps(vmax);
    if (finite != 0xFFFF) { *bad = 1; mn = 0.0f; mx = 0.0f; }
    float s, z;
    qvk_minmax_params(mn, mx, pmax, &s, &z);
    const __m512 vs = _mm512_set1_ps(s), vz = _mm512_set1_ps(z), vp = _mm512_set1_ps(pmax);
    const __m512 zero = _mm512_setzero_ps(), half = _mm512_set1_ps(0.5f);
    const __m512i one = _mm512_set1_epi32(1);
    __m512i sum = _mm512_setzero_si512();
    for (int32_t i = 0; i < len; i += 16) {
        int32_t rem = len - i;
        __mmask16 m = rem >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << rem) - 1u);
        __m512 v = _mm512_add_ps(_mm512_div_ps(_mm512_maskz_loadu_ps(m, x + i), vs), vz);
        v = _mm512_min_ps(_mm512_max_ps(v, zero), vp);
        __m512i t = _mm512_cvttps_epi32(v);
        __m512 frac = _mm512_sub_ps(v, _mm512_cvtepi32_ps(t));
        t = _mm512_mask_add_epi32(t, _mm512_cmp_ps_mask(frac, half, _CMP_GE_OQ), t, one);
        _mm512_mask_cvtepi32_storeu_epi8(out + i, m, t);
        sum = _mm512_add_epi32(sum, _mm512_maskz_mov_epi32(m, t));
    }
    *s_out = s;
    *z_out = z;
    return _mm512_reduce_add_epi32(sum);
}

QVK_TARGET_AVX512 void qvk_quantize_rows_avx512(qvk_activations *a, const float *x, int32_t r0,
                                                 int32_t r1, int32_t *bad) {
    const float pmax = (float)((1 << a->bits) - 1);
    const int32_t glen = a->group > 0 ? a->group : a->k;
    for (int32_t m = r0; m < r1; m++) {
        const float *row = x + (size_t)m * (size_t)a->k;
        uint8_t *q = a->q + (size_t)m * (size_t)a->k_padded;
        for (int32_t gi = 0; gi < a->groups; gi++) {
            int32_t start = gi * glen;
            int32_t len = a->k - start < glen ? a->k - start : glen;
            size_t idx = (size_t)m * (size_t)a->groups + (size_t)gi;
            a->qsum[idx] = quantize_run_avx512(row + start, len, pmax, q + start, &a->scale[idx],
                                               &a->zero[idx], bad);
        }
        memset(q + a->k, 0, (size_t)(a->k_padded - a->k));
    }
}

/// Peak: 16 independent zmm accumulator chains, 8 dpbusd per chain per iteration.
QVK_TARGET_AVX512 int64_t qvk_dpbusd_peak_avx512(int64_t iterations, int64_t *macs) {
    __m512i acc[16];
    for (int i = 0; i < 16; i++) acc[i] = _mm512_set1_epi32(i);
    __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
    for (int64_t it = 0; it < iterations; it++) {
        __asm__ volatile("" : "+v"(a), "+v"(b));
        for (int rep = 0; rep < 8; rep++)
            for (int i = 0; i < 16; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
    }
    __m512i t = acc[0];
    for (int i = 1; i < 16; i++) t = _mm512_add_epi32(t, acc[i]);
    *macs = iterations * 8 * 16 * 64;
    return (int64_t)_mm512_reduce_add_epi32(t);
}
