// 256-bit paths: AVX-VNNI (`vpdpbusd ymm`, VEX) and plain AVX2 (`vpmaddubsw` + `vpmaddwd`).
// Each walks the same 64-column panels as the AVX-512 path, 8·NV columns at a time, 6 rows.
//
// AVX2 saturation: vpmaddubsw adds two u8·s8 products into a saturating s16. With activations of
// ≤ 7 bits (a ≤ 127) and |w| ≤ 128 a pair is ≤ 2·127·128 = 32512 < 32767, so it is used directly.
// For 8-bit activations each byte is split as a = (a & 0x7F) + 128·(a >> 7): both halves are in the
// safe range, and the high half's pair sums are widened with vpmaddwd by 128 (exact).
#include "internal.h"
#include <immintrin.h>

#define QVK_YMM_COMMON_CONSTS                                     \
    const __m256i ones16 = _mm256_set1_epi16(1);                  \
    const __m256i c128 = _mm256_set1_epi16(128);                  \
    const __m256i m7f = _mm256_set1_epi8(0x7F);                   \
    const __m256i m01 = _mm256_set1_epi8(0x01);                   \
    const __m256i low = _mm256_set1_epi8(0x0F);                   \
    (void)ones16; (void)c128; (void)m7f; (void)m01; (void)low;

#define QVK_YMM_STORE(NV)                                                                  \
    for (int r = 0; r < QVK_MR; r++)                                                       \
        for (int v = 0; v < NV; v++)                                                       \
            _mm256_storeu_si256((__m256i *)(tile + r * QVK_NR + cb + 8 * v), acc[r][v]);

#define QVK_YMM_ROWS(NV, AOFF, ROWPREP, DOT)                                               \
    for (int r = 0; r < QVK_MR; r++) {                                                     \
        __m256i b = _mm256_set1_epi32(qvk_load_i32(rows[r] + k0 + (AOFF)));                 \
        ROWPREP                                                                            \
        for (int v = 0; v < NV; v++) acc[r][v] = DOT(acc[r][v], b, w[v]);                   \
    }

#define QVK_DEFINE_YMM(NAME_BYTES, NAME_NIBBLES, TARGET, NV, ROWPREP, DOT)                  \
static TARGET void NAME_BYTES(const uint8_t *const rows[QVK_MR], int32_t k0,                \
                              const uint8_t *panel, int32_t k4steps, int32_t *tile) {       \
    QVK_YMM_COMMON_CONSTS                                                                  \
    for (int cb = 0; cb < QVK_NR; cb += 8 * NV) {                                          \
        __m256i acc[QVK_MR][NV];                                                           \
        for (int r = 0; r < QVK_MR; r++)                                                   \
            for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_si256();               \
        const uint8_t *wp = panel + (size_t)(k0 / 4) * 256 + (size_t)cb * 4;               \
        for (int32_t s = 0; s < k4steps; s++) {                                            \
            __m256i w[NV];                                                                 \
            for (int v = 0; v < NV; v++)                                                   \
                w[v] = _mm256_loadu_si256((const __m256i *)(wp + 32 * v));                 \
            QVK_YMM_ROWS(NV, 4 * s, ROWPREP, DOT)                                          \
            wp += 256;                                                                     \
        }                                                                                  \
        QVK_YMM_STORE(NV)                                                                  \
    }                                                                                      \
}                                                                                          \
static TARGET void NAME_NIBBLES(const uint8_t *const rows[QVK_MR], int32_t k0,              \
                                const uint8_t *panel, int32_t k4steps, int32_t *tile) {     \
    QVK_YMM_COMMON_CONSTS                                                                  \
    for (int cb = 0; cb < QVK_NR; cb += 8 * NV) {                                          \
        __m256i acc[QVK_MR][NV];                                                           \
        for (int r = 0; r < QVK_MR; r++)                                                   \
            for (int v = 0; v < NV; v++) acc[r][v] = _mm256_setzero_si256();               \
        const uint8_t *wp = panel + (size_t)(k0 / 8) * 256 + (size_t)cb * 4;               \
        for (int32_t s = 0; s < k4steps; s += 2) {                                         \
            __m256i w[NV];                                                                 \
            for (int v = 0; v < NV; v++)                                                   \
                w[v] = _mm256_and_si256(                                                   \
                    _mm256_loadu_si256((const __m256i *)(wp + 32 * v)), low);              \
            QVK_YMM_ROWS(NV, 4 * s, ROWPREP, DOT)                                          \
            /* reload (not keep) the packed bytes: an opaque copy of the pointer stops the */ \
            /* compiler from holding them in registers, which would spill accumulators.  */  \
            const uint8_t *wp_hi = wp;                                                     \
            __asm__("" : "+r"(wp_hi));                                                     \
            for (int v = 0; v < NV; v++)                                                   \
                w[v] = _mm256_and_si256(_mm256_srli_epi16(                                 \
                    _mm256_loadu_si256((const __m256i *)(wp_hi + 32 * v)), 4), low);       \
            QVK_YMM_ROWS(NV, 4 * s + 4, ROWPREP, DOT)                                      \
            wp += 256;                                                                     \
        }                                                                                  \
        QVK_YMM_STORE(NV)                                                                  \
    }                                                                                      \
}

#define QVK_DOT_VNNI(acc, b, w) _mm256_dpbusd_avx_epi32((acc), (b), (w))
#define QVK_DOT_AVX2_DIRECT(acc, b, w) \
    _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((b), (w)), ones16))
#define QVK_PREP_SPLIT                                                   \
    __m256i blo = _mm256_and_si256(b, m7f);                              \
    __m256i bhi = _mm256_and_si256(_mm256_srli_epi32(b, 7), m01);
#define QVK_DOT_AVX2_SPLIT(acc, b, w)                                                       \
    _mm256_add_epi32((acc), _mm256_add_epi32(                                               \
        _mm256_madd_epi16(_mm256_maddubs_epi16(blo, (w)), ones16),                          \
        _mm256_madd_epi16(_mm256_maddubs_epi16(bhi, (w)), c128)))

QVK_DEFINE_YMM(tile_bytes_avxvnni, tile_nibbles_avxvnni, QVK_TARGET_AVXVNNI, 2, , QVK_DOT_VNNI)
QVK_DEFINE_YMM(tile_bytes_avx2_direct, tile_nibbles_avx2_direct, QVK_TARGET_AVX2, 2, , QVK_DOT_AVX2_DIRECT)
QVK_DEFINE_YMM(tile_bytes_avx2_split, tile_nibbles_avx2_split, QVK_TARGET_AVX2, 1, QVK_PREP_SPLIT,
               QVK_DOT_AVX2_SPLIT)

static QVK_TARGET_AVX2 void epi_channel_avx2(const int32_t *tile, const qvk_tile_geometry *g,
                                             const qvk_activations *a, int32_t m0,
                                             const qvk_weights *w, const float *bias, float *y) {
    qvk_epi_channel_body(tile, g, a, m0, w, bias, y);
}

static QVK_TARGET_AVX2 void epi_group_avx2(const int32_t *tile, const qvk_tile_geometry *g,
                                           const qvk_activations *a, int32_t m0,
                                           const qvk_weights *w, int32_t gi, float *acc) {
    qvk_epi_group_body(tile, g, a, m0, w, gi, acc);
}

void qvk_ops_avxvnni(qvk_path_ops *ops) {
    ops->tile_bytes = tile_bytes_avxvnni;
    ops->tile_nibbles = tile_nibbles_avxvnni;
    ops->epi_channel = epi_channel_avx2;
    ops->epi_group = epi_group_avx2;
}

void qvk_ops_avx2(qvk_path_ops *ops, int32_t activation_bits) {
    int direct = activation_bits <= 7;
    ops->tile_bytes = direct ? tile_bytes_avx2_direct : tile_bytes_avx2_split;
    ops->tile_nibbles = direct ? tile_nibbles_avx2_direct : tile_nibbles_avx2_split;
    ops->epi_channel = epi_channel_avx2;
    ops->epi_group = epi_group_avx2;
}

QVK_TARGET_AVX2 void qvk_quantize_rows_avx2(qvk_activations *a, const float *x, int32_t r0,
                                             int32_t r1, int32_t *bad) {
    qvk_quantize_rows_body(a, x, r0, r1, bad);
}

/// Peak of the 256-bit AVX-VNNI form: 12 independent ymm chains, 8 dpbusd each per iteration.
QVK_TARGET_AVXVNNI int64_t qvk_dpbusd_peak_avxvnni(int64_t iterations, int64_t *macs) {
    __m256i acc[12];
    for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_epi32(i);
    __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-2);
    for (int64_t it = 0; it < iterations; it++) {
        __asm__ volatile("" : "+x"(a), "+x"(b));
        for (int rep = 0; rep < 8; rep++)
            for (int i = 0; i < 12; i++) acc[i] = _mm256_dpbusd_avx_epi32(acc[i], a, b);
    }
    __m256i t = acc[0];
    for (int i = 1; i < 12; i++) t = _mm256_add_epi32(t, acc[i]);
    *macs = iterations * 8 * 12 * 32;
    int32_t lanes[8];
    _mm256_storeu_si256((__m256i *)lanes, t);
    int64_t sum = 0;
    for (int i = 0; i < 8; i++) sum += lanes[i];
    return sum;
}
