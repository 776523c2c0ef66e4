// Portable scalar path: the oracle for the exact tests. Reads the same packed layouts as the SIMD
// paths, one multiply-accumulate at a time.
#include "internal.h"

static void tile_bytes_scalar(const uint8_t *const rows[QVK_MR], int32_t k0, const uint8_t *panel,
                              int32_t k4steps, int32_t *tile) {
    const int8_t *wp = (const int8_t *)(panel + (size_t)(k0 / 4) * 256);
    for (int32_t r = 0; r < QVK_MR; r++) {
        const uint8_t *a = rows[r] + k0;
        for (int32_t j = 0; j < QVK_NR; j++) {
            int32_t sum = 0;
            for (int32_t s = 0; s < k4steps; s++)
                for (int32_t kk = 0; kk < 4; kk++)
                    sum += (int32_t)a[4 * s + kk] * (int32_t)wp[(size_t)s * 256 + (size_t)j * 4 + (size_t)kk];
            tile[r * QVK_NR + j] = sum;
        }
    }
}

static void tile_nibbles_scalar(const uint8_t *const rows[QVK_MR], int32_t k0, const uint8_t *panel,
                                int32_t k4steps, int32_t *tile) {
    const uint8_t *wp = panel + (size_t)(k0 / 8) * 256;
    for (int32_t r = 0; r < QVK_MR; r++) {
        const uint8_t *a = rows[r] + k0;
        for (int32_t j = 0; j < QVK_NR; j++) {
            int32_t sum = 0;
            for (int32_t s = 0; s < k4steps; s++)
                for (int32_t kk = 0; kk < 4; kk++) {
                    uint8_t byte = wp[(size_t)(s / 2) * 256 + (size_t)j * 4 + (size_t)kk];
                    int32_t wv = (s & 1) ? (byte >> 4) : (byte & 0x0F);
                    sum += (int32_t)a[4 * s + kk] * wv;
                }
            tile[r * QVK_NR + j] = sum;
        }
    }
}

static void epi_channel_scalar(const int32_t *tile, const qvk_tile_geometry *g, const qvk_activations *a,
                               int32_t m0, const qvk_weights *w, const float *bias, float *y) {
    qvk_epi_channel_body(tile, g, a, m0, w, bias, y);
}

static void epi_group_scalar(const int32_t *tile, const qvk_tile_geometry *g, const qvk_activations *a,
                             int32_t m0, const qvk_weights *w, int32_t gi, float *acc) {
    qvk_epi_group_body(tile, g, a, m0, w, gi, acc);
}

void qvk_ops_scalar(qvk_path_ops *ops) {
    ops->tile_bytes = tile_bytes_scalar;
    ops->tile_nibbles = tile_nibbles_scalar;
    ops->epi_channel = epi_channel_scalar;
    ops->epi_group = epi_group_scalar;
}

void qvk_quantize_rows_scalar(qvk_activations *a, const float *x, int32_t r0, int32_t r1, int32_t *bad) {
    qvk_quantize_rows_body(a, x, r0, r1, bad);
}
