// Run-time dispatch (`__builtin_cpu_supports`) and the blocked GEMM driver shared by all paths.
// Loop order: blocks of rows sized so a block of packed activations stays in L2, then 64-column
// weight panels, then 6-row tiles; each tile runs the path's micro-kernel over all of K (per
// channel) or once per group (per group, accumulating the float group epilogue).
#include "internal.h"
#include <stdlib.h>

int64_t qvk_dpbusd_peak_avx512(int64_t iterations, int64_t *macs);
int64_t qvk_dpbusd_peak_avxvnni(int64_t iterations, int64_t *macs);

#define QVK_L2_BLOCK_BYTES (256 * 1024)

uint32_t qvk_supported_paths(void) {
    __builtin_cpu_init();
    uint32_t mask = 1u << QVK_PATH_SCALAR;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        mask |= 1u << QVK_PATH_AVX2;
        if (__builtin_cpu_supports("avxvnni")) mask |= 1u << QVK_PATH_AVXVNNI;
    }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni"))
        mask |= 1u << QVK_PATH_AVX512VNNI;
    return mask;
}

qvk_path qvk_best_path(void) {
    uint32_t mask = qvk_supported_paths();
    if (mask & (1u << QVK_PATH_AVX512VNNI)) return QVK_PATH_AVX512VNNI;
    if (mask & (1u << QVK_PATH_AVXVNNI)) return QVK_PATH_AVXVNNI;
    if (mask & (1u << QVK_PATH_AVX2)) return QVK_PATH_AVX2;
    return QVK_PATH_SCALAR;
}

int32_t qvk_tile_rows(void) { return QVK_MR; }
int32_t qvk_panel_columns(void) { return QVK_NR; }

static qvk_status resolve_path(qvk_path path, qvk_path *resolved) {
    if (path == QVK_PATH_AUTO) {
        *resolved = qvk_best_path();
        return QVK_OK;
    }
    if (path < QVK_PATH_SCALAR || path > QVK_PATH_AVX512VNNI) return QVK_ERR_ARGUMENT;
    if (!(qvk_supported_paths() & (1u << path))) return QVK_ERR_UNSUPPORTED_PATH;
    *resolved = path;
    return QVK_OK;
}

qvk_status qvk_activations_quantize(qvk_activations *a, const float *x, int32_t row_begin,
                                    int32_t row_end, qvk_path path) {
    if (!a || !x || row_begin < 0 || row_end > a->m || row_begin > row_end) return QVK_ERR_ARGUMENT;
    qvk_path p;
    qvk_status st = resolve_path(path, &p);
    if (st != QVK_OK) return st;
    int32_t bad = 0;
    switch (p) {
    case QVK_PATH_AVX512VNNI: qvk_quantize_rows_avx512(a, x, row_begin, row_end, &bad); break;
    case QVK_PATH_AVXVNNI:
    case QVK_PATH_AVX2: qvk_quantize_rows_avx2(a, x, row_begin, row_end, &bad); break;
    default: qvk_quantize_rows_scalar(a, x, row_begin, row_end, &bad); break;
    }
    return bad ? QVK_ERR_NONFINITE : QVK_OK;
}

static void path_ops(qvk_path p, int32_t activation_bits, qvk_path_ops *ops) {
    switch (p) {
    case QVK_PATH_AVX512VNNI: qvk_ops_avx512(ops); break;
    case QVK_PATH_AVXVNNI: qvk_ops_avxvnni(ops); break;
    case QVK_PATH_AVX2: qvk_ops_avx2(ops, activation_bits); break;
    default: qvk_ops_scalar(ops); break;
    }
}

int32_t qvk_accumulators_fit(const qvk_activations *a, const qvk_weights *w) {
    int64_t glen = w->group > 0 ? w->group : w->k;
    int64_t amax = (1 << a->bits) - 1;
    int64_t wmax = w->offset > 0 ? w->offset : (1 << w->bits) - 1;
    return glen * amax * wmax <= INT32_MAX;
}

/// One tile: per channel → epilogue (or raw store); per group → accumulate groups, then bias.
static void run_tile(const qvk_path_ops *ops, qvk_tile_fn tile_fn, const qvk_tile_geometry *g,
                     const uint8_t *panel, const qvk_activations *a, int32_t m0, const qvk_weights *w,
                     const float *bias, float *y, int32_t *raw, int32_t *tile, float *acc) {
    const size_t n = (size_t)w->n, groups = (size_t)w->groups;
    if (w->group == 0) {
        tile_fn(g->rows, 0, panel, w->k_padded / 4, tile);
        if (raw) {
            for (int32_t r = 0; r < g->nrows; r++)
                memcpy(raw + (size_t)(m0 + r) * n + (size_t)g->n0, tile + r * QVK_NR,
                       (size_t)g->ncols * sizeof(int32_t));
        } else {
            ops->epi_channel(tile, g, a, m0, w, bias, y);
        }
        return;
    }
    if (!raw) memset(acc, 0, sizeof(float) * QVK_MR * QVK_NR);
    for (int32_t gi = 0; gi < w->groups; gi++) {
        tile_fn(g->rows, gi * w->group, panel, w->group / 4, tile);
        if (raw) {
            for (int32_t r = 0; r < g->nrows; r++)
                memcpy(raw + ((size_t)(m0 + r) * groups + (size_t)gi) * n + (size_t)g->n0,
                       tile + r * QVK_NR, (size_t)g->ncols * sizeof(int32_t));
        } else {
            ops->epi_group(tile, g, a, m0, w, gi, acc);
        }
    }
    if (raw) return;
    const float *b = bias ? bias + g->n0 : w->zero_bias + g->n0;
    for (int32_t r = 0; r < g->nrows; r++) {
        float *out = y + (size_t)(m0 + r) * n + (size_t)g->n0;
        for (int32_t j = 0; j < g->ncols; j++) out[j] = acc[r * QVK_NR + j] + b[j];
    }
}

static qvk_status gemm_driver(qvk_path path, const qvk_activations *a, const qvk_weights *w,
                              const float *bias, float *y, int32_t *raw, int32_t r0, int32_t r1) {
    if (!a || !w || (!y && !raw)) return QVK_ERR_ARGUMENT;
    if (r0 < 0 || r1 > a->m || r0 > r1) return QVK_ERR_ARGUMENT;
    if (a->k != w->k || a->k_padded != w->k_padded || a->group != w->group || a->groups != w->groups)
        return QVK_ERR_MISMATCH;
    if (!qvk_accumulators_fit(a, w)) return QVK_ERR_ARGUMENT;
    qvk_path p;
    qvk_status st = resolve_path(path, &p);
    if (st != QVK_OK) return st;
    qvk_path_ops ops;
    path_ops(p, a->bits, &ops);
    qvk_tile_fn tile_fn = w->bits > 4 ? ops.tile_bytes : ops.tile_nibbles;

    _Alignas(64) int32_t tile[QVK_MR * QVK_NR];
    _Alignas(64) float acc[QVK_MR * QVK_NR];
    const size_t kp = (size_t)a->k_padded;
    int32_t block = (int32_t)(QVK_L2_BLOCK_BYTES / kp) / QVK_MR * QVK_MR;
    if (block < QVK_MR) block = QVK_MR;
    const int32_t panels = w->n_padded / QVK_NR;
    const uint8_t *zero_row = a->q + (size_t)a->m * kp;

    for (int32_t mb = r0; mb < r1; mb += block) {
        const int32_t mend = mb + block < r1 ? mb + block : r1;
        for (int32_t p = 0; p < panels; p++) {
            const uint8_t *panel = w->packed + qvk_panel_offset(w, p);
            qvk_tile_geometry g;
            g.n0 = p * QVK_NR;
            g.ncols = w->n - g.n0 < QVK_NR ? w->n - g.n0 : QVK_NR;
            for (int32_t m0 = mb; m0 < mend; m0 += QVK_MR) {
                g.nrows = mend - m0 < QVK_MR ? mend - m0 : QVK_MR;
                for (int32_t r = 0; r < QVK_MR; r++)
                    g.rows[r] = r < g.nrows ? a->q + (size_t)(m0 + r) * kp : zero_row;
                run_tile(&ops, tile_fn, &g, panel, a, m0, w, bias, y, raw, tile, acc);
            }
        }
    }
    return QVK_OK;
}

qvk_status qvk_gemm(qvk_path path, const qvk_activations *a, const qvk_weights *w, const float *bias,
                    float *y, int32_t row_begin, int32_t row_end) {
    if (!y) return QVK_ERR_ARGUMENT;
    return gemm_driver(path, a, w, bias, y, NULL, row_begin, row_end);
}

qvk_status qvk_gemm_accumulators(qvk_path path, const qvk_activations *a, const qvk_weights *w,
                                 int32_t *out, int32_t row_begin, int32_t row_end) {
    if (!out) return QVK_ERR_ARGUMENT;
    return gemm_driver(path, a, w, NULL, NULL, out, row_begin, row_end);
}

int64_t qvk_dpbusd_peak(int32_t width, int64_t iterations, int64_t *macs) {
    *macs = 0;
    uint32_t mask = qvk_supported_paths();
    if (width == 512 && (mask & (1u << QVK_PATH_AVX512VNNI)))
        return qvk_dpbusd_peak_avx512(iterations, macs);
    if (width == 256 && (mask & (1u << QVK_PATH_AVXVNNI)))
        return qvk_dpbusd_peak_avxvnni(iterations, macs);
    return 0;
}

int64_t qvk_tile_loop(qvk_path path, int32_t weight_bits, int32_t k, int64_t iterations, int64_t *macs) {
    *macs = 0;
    qvk_path p;
    if (resolve_path(path, &p) != QVK_OK || k < 8 || k % 8 != 0 || weight_bits < 2 || weight_bits > 8)
        return 0;
    qvk_path_ops ops;
    path_ops(p, 8, &ops);
    qvk_tile_fn tile_fn = weight_bits > 4 ? ops.tile_bytes : ops.tile_nibbles;
    size_t panel_bytes = weight_bits > 4 ? (size_t)k * QVK_NR : (size_t)k * QVK_NR / 2;
    uint8_t *panel = aligned_alloc(64, (panel_bytes + 63) / 64 * 64);
    uint8_t *act = aligned_alloc(64, (size_t)QVK_MR * (size_t)k);
    if (!panel || !act) { free(panel); free(act); return 0; }
    uint32_t state = 12345u;
    for (size_t i = 0; i < panel_bytes; i++) { state = state * 1664525u + 1013904223u; panel[i] = (uint8_t)(state >> 24); }
    for (size_t i = 0; i < (size_t)QVK_MR * (size_t)k; i++) { state = state * 1664525u + 1013904223u; act[i] = (uint8_t)(state >> 24); }
    const uint8_t *rows[QVK_MR];
    for (int r = 0; r < QVK_MR; r++) rows[r] = act + (size_t)r * (size_t)k;
    _Alignas(64) int32_t tile[QVK_MR * QVK_NR];
    int64_t checksum = 0;
    for (int64_t it = 0; it < iterations; it++) {
        tile_fn(rows, 0, panel, k / 4, tile);
        checksum += tile[it % (QVK_MR * QVK_NR)];
    }
    free(panel);
    free(act);
    *macs = iterations * (int64_t)QVK_MR * QVK_NR * k;
    return checksum;
}
