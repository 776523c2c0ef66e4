// Weight packing (once per layer) and activation quantize+pack (per call, per token in one pass).
//
// Weight panel layout, for column block p of QVK_NR = 64 output channels:
//   bytes (5..8 bits):   panel p at p·K_pad·64; byte (k/4)·256 + j·4 + k%4 holds (int8)(q − offset)
//   nibbles (2..4 bits): panel p at p·K_pad·32; byte (k/8)·256 + j·4 + k%4 holds q in its low nibble
//                        when (k/4) is even, in its high nibble when odd.
// Padded columns and padded K hold q = offset (value 0 after the shift); padded activation columns
// are 0, so padding never contributes to the integer dot products.
#include "internal.h"
#include <stdlib.h>

static void *qvk_alloc(size_t bytes) {
    size_t rounded = (bytes + 63) / 64 * 64;
    if (rounded == 0) rounded = 64;
    void *p = aligned_alloc(64, rounded);
    if (p) memset(p, 0, rounded);
    return p;
}

int32_t qvk_padded_k(int32_t k, int32_t group) {
    if (group > 0) {
        int32_t groups = (k + group - 1) / group;
        return groups * group;
    }
    return (k + QVK_KALIGN - 1) / QVK_KALIGN * QVK_KALIGN;
}

static int valid_common(int32_t rows, int32_t k, int32_t bits, int32_t group) {
    if (rows < 1 || k < 1 || bits < 2 || bits > 8) return 0;
    if (group < 0 || (group > 0 && group % 8 != 0)) return 0;
    if ((int64_t)qvk_padded_k(k, group) * (int64_t)(rows + 1) > (int64_t)1 << 40) return 0;
    return 1;
}

void qvk_weights_destroy(qvk_weights *w) {
    if (!w) return;
    free(w->packed); free(w->scale); free(w->zero); free(w->qsum);
    free(w->ch_bw); free(w->ch_cw); free(w->ch_sw);
    free(w->g_bw); free(w->g_cw); free(w->g_sw); free(w->zero_bias);
    free(w);
}

static size_t packed_index(const qvk_weights *w, int32_t n, int32_t k, int *high_nibble) {
    size_t base = qvk_panel_offset(w, n / QVK_NR);
    size_t j = (size_t)(n % QVK_NR), kk = (size_t)(k % 4);
    if (w->bits > 4) {
        *high_nibble = 0;
        return base + (size_t)(k / 4) * 256 + j * 4 + kk;
    }
    *high_nibble = (k / 4) & 1;
    return base + (size_t)(k / 8) * 256 + j * 4 + kk;
}

static void store_value(qvk_weights *w, int32_t n, int32_t k, int32_t q) {
    int high;
    size_t idx = packed_index(w, n, k, &high);
    if (w->bits > 4) {
        w->packed[idx] = (uint8_t)(int8_t)(q - w->offset);
    } else {
        w->packed[idx] = high ? (uint8_t)((w->packed[idx] & 0x0F) | (q << 4))
                              : (uint8_t)((w->packed[idx] & 0xF0) | q);
    }
}

int32_t qvk_weights_value(const qvk_weights *w, int32_t n, int32_t k) {
    int high;
    size_t idx = packed_index(w, n, k, &high);
    if (w->bits > 4) return (int32_t)(int8_t)w->packed[idx] + w->offset;
    return high ? (w->packed[idx] >> 4) : (w->packed[idx] & 0x0F);
}

static qvk_status weights_params(qvk_weights *w, const float *src, const float *scales,
                                 const float *zeros, int32_t glen) {
    const float pmax = (float)((1 << w->bits) - 1);
    for (int32_t n = 0; n < w->n; n++) {
        for (int32_t g = 0; g < w->groups; g++) {
            size_t idx = (size_t)n * (size_t)w->groups + (size_t)g;
            int32_t start = g * glen, len = w->k - start < glen ? w->k - start : glen;
            const float *row = src + (size_t)n * (size_t)w->k + (size_t)start;
            float mn = row[0], mx = row[0];
            for (int32_t i = 0; i < len; i++) {
                if (!isfinite(row[i])) return QVK_ERR_NONFINITE;
                mn = row[i] < mn ? row[i] : mn;
                mx = row[i] > mx ? row[i] : mx;
            }
            if (scales) {
                float s = scales[idx], z = zeros ? zeros[idx] : 0.0f;
                if (!(s > 0.0f) || !isfinite(s) || !isfinite(z)) return QVK_ERR_BAD_SCALE;
                w->scale[idx] = s;
                w->zero[idx] = z;
            } else {
                qvk_minmax_params(mn, mx, pmax, &w->scale[idx], &w->zero[idx]);
            }
            int32_t sum = 0;
            for (int32_t i = 0; i < len; i++) {
                int32_t q = qvk_quantize_value(row[i], w->scale[idx], w->zero[idx], pmax);
                store_value(w, n, start + i, q);
                sum += q;
            }
            w->qsum[idx] = sum;
        }
    }
    return QVK_OK;
}

static void weights_epilogue_terms(qvk_weights *w, int32_t glen) {
    for (int32_t n = 0; n < w->n; n++) {
        if (w->group == 0) {
            double z = (double)w->zero[n];
            w->ch_bw[n] = (double)w->offset - z;
            w->ch_cw[n] = (double)w->qsum[n] - (double)w->k * z;
            w->ch_sw[n] = (double)w->scale[n];
            continue;
        }
        for (int32_t g = 0; g < w->groups; g++) {
            size_t idx = (size_t)n * (size_t)w->groups + (size_t)g;
            size_t gi = (size_t)g * (size_t)w->n_padded + (size_t)n;
            int32_t len = w->k - g * glen < glen ? w->k - g * glen : glen;
            double z = (double)w->zero[idx];
            w->g_bw[gi] = (float)((double)w->offset - z);
            w->g_cw[gi] = (float)((double)w->qsum[idx] - (double)len * z);
            w->g_sw[gi] = w->scale[idx];
        }
    }
}

qvk_status qvk_weights_create(const float *src, int32_t n, int32_t k, int32_t bits, int32_t group,
                              const float *scales, const float *zeros, qvk_weights **out) {
    if (!out) return QVK_ERR_ARGUMENT;
    *out = NULL;
    if (!src || !valid_common(n, k, bits, group)) return QVK_ERR_ARGUMENT;
    qvk_weights *w = calloc(1, sizeof *w);
    if (!w) return QVK_ERR_ALLOC;
    w->n = n; w->k = k; w->bits = bits; w->group = group;
    w->n_padded = (n + QVK_NR - 1) / QVK_NR * QVK_NR;
    w->k_padded = qvk_padded_k(k, group);
    w->groups = group > 0 ? (k + group - 1) / group : 1;
    w->offset = bits == 8 ? 128 : 0;
    const int32_t glen = group > 0 ? group : k;
    size_t ng = (size_t)n * (size_t)w->groups, gp = (size_t)w->groups * (size_t)w->n_padded;
    w->packed_bytes = qvk_panel_offset(w, w->n_padded / QVK_NR);
    w->packed = qvk_alloc(w->packed_bytes);
    w->scale = qvk_alloc(ng * sizeof(float));
    w->zero = qvk_alloc(ng * sizeof(float));
    w->qsum = qvk_alloc(ng * sizeof(int32_t));
    w->ch_bw = qvk_alloc((size_t)w->n_padded * sizeof(double));
    w->ch_cw = qvk_alloc((size_t)w->n_padded * sizeof(double));
    w->ch_sw = qvk_alloc((size_t)w->n_padded * sizeof(double));
    w->g_bw = qvk_alloc(gp * sizeof(float));
    w->g_cw = qvk_alloc(gp * sizeof(float));
    w->g_sw = qvk_alloc(gp * sizeof(float));
    w->zero_bias = qvk_alloc((size_t)w->n_padded * sizeof(float));
    if (!w->packed || !w->scale || !w->zero || !w->qsum || !w->ch_bw || !w->ch_cw || !w->ch_sw ||
        !w->g_bw || !w->g_cw || !w->g_sw || !w->zero_bias) {
        qvk_weights_destroy(w);
        return QVK_ERR_ALLOC;
    }
    qvk_status st = weights_params(w, src, scales, zeros, glen);
    if (st != QVK_OK) {
        qvk_weights_destroy(w);
        return st;
    }
    weights_epilogue_terms(w, glen);
    *out = w;
    return QVK_OK;
}

// ---- activations -----------------------------------------------------------------------------

void qvk_activations_destroy(qvk_activations *a) {
    if (!a) return;
    free(a->q); free(a->scale); free(a->zero); free(a->qsum);
    free(a);
}

qvk_status qvk_activations_create(int32_t m, int32_t k, int32_t bits, int32_t group,
                                  qvk_activations **out) {
    if (!out) return QVK_ERR_ARGUMENT;
    *out = NULL;
    if (!valid_common(m, k, bits, group)) return QVK_ERR_ARGUMENT;
    qvk_activations *a = calloc(1, sizeof *a);
    if (!a) return QVK_ERR_ALLOC;
    a->m = m; a->k = k; a->bits = bits; a->group = group;
    a->k_padded = qvk_padded_k(k, group);
    a->groups = group > 0 ? (k + group - 1) / group : 1;
    size_t mg = (size_t)m * (size_t)a->groups;
    a->q = qvk_alloc((size_t)(m + 1) * (size_t)a->k_padded);
    a->scale = qvk_alloc(mg * sizeof(float));
    a->zero = qvk_alloc(mg * sizeof(float));
    a->qsum = qvk_alloc(mg * sizeof(int32_t));
    if (!a->q || !a->scale || !a->zero || !a->qsum) {
        qvk_activations_destroy(a);
        return QVK_ERR_ALLOC;
    }
    *out = a;
    return QVK_OK;
}
