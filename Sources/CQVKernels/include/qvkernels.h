#pragma once
// Integer GEMM kernels of QVBench (DESIGN.md §9): unsigned activations × signed weights → int32
// accumulators with `vpdpbusd` (AVX-512 VNNI), AVX-VNNI, AVX2, or portable scalar code (the oracle),
// chosen at run time. Per-function target attributes only; no global -m flags.
//
// Quantization (DESIGN.md §5): q = clamp(round(x/s + z), 0, P), x̂ = s·(q − z), P = 2^b − 1.
// Activations are asymmetric per token (row m), optionally per token per group of `group` columns;
// weights per output channel n, optionally per group of `group` along K.
//
// The kernel computes D = Σ_k q_a · (q_w − c) with c = 128 for 8-bit weights (so q_w − c is a valid
// signed byte) and c = 0 for weights of ≤ 7 bits (q_w ≤ 127 is already a valid signed byte; 4-bit
// weights are stored as unsigned nibbles, two per byte). With S_a = Σ q_a and S_w = Σ q_w over the
// K real columns (of the group):
//   Σ (q_a − z_a)(q_w − z_w) = D + (c − z_w)·S_a − z_a·(S_w − K·z_w)
//   y[m,n] = s_a[m]·s_w[n]·(that) + bias[n]
// D, S_a, S_w are exact integers; the per-channel epilogue combines them in double, the per-group
// epilogue in float (group partial sums are < 2^24 for groups ≤ 64).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Kernel implementation. AUTO picks the fastest one this CPU supports.
typedef enum {
    QVK_PATH_AUTO = 0,
    QVK_PATH_SCALAR = 1,
    QVK_PATH_AVX2 = 2,         // vpmaddubsw + vpmaddwd, saturation-free split for 8-bit activations
    QVK_PATH_AVXVNNI = 3,      // 256-bit vpdpbusd (AVX-VNNI, VEX encoded)
    QVK_PATH_AVX512VNNI = 4,   // 512-bit vpdpbusd
} qvk_path;

typedef enum {
    QVK_OK = 0,
    QVK_ERR_ARGUMENT = 1,          // bad shape, bit width, group size or row range
    QVK_ERR_NONFINITE = 2,         // NaN or infinity in the input floats
    QVK_ERR_BAD_SCALE = 3,         // a given scale is not finite and > 0, or a zero point not finite
    QVK_ERR_UNSUPPORTED_PATH = 4,  // the forced path needs instructions this CPU lacks
    QVK_ERR_ALLOC = 5,
    QVK_ERR_MISMATCH = 6,          // activations and weights disagree on K or grouping
} qvk_status;

/// Bit (1 << path) is set for every path this CPU can run (SCALAR always).
uint32_t qvk_supported_paths(void);
/// The path AUTO resolves to.
qvk_path qvk_best_path(void);
/// Rows per micro-kernel tile (all paths).
int32_t qvk_tile_rows(void);
/// Columns per packed weight panel (all paths).
int32_t qvk_panel_columns(void);
/// Padded K used by both operands for a given K and group size (0 = per channel / per token).
int32_t qvk_padded_k(int32_t k, int32_t group);

/// Packed weights: built once, immutable afterwards. Fields are read-only for callers.
typedef struct qvk_weights {
    int32_t n, k, bits, group;       // group = 0: per output channel
    int32_t n_padded, k_padded, groups;
    int32_t offset;                  // c above: 128 for 8-bit, 0 otherwise
    uint8_t *packed;                 // panel layout read by the micro-kernels
    size_t packed_bytes;
    float *scale, *zero;             // [n][groups]
    int32_t *qsum;                   // [n][groups] Σ q_w over the real columns
    double *ch_bw, *ch_cw, *ch_sw;   // per channel epilogue terms [n_padded]
    float *g_bw, *g_cw, *g_sw;       // per group epilogue terms [groups][n_padded]
    float *zero_bias;                // [n_padded] zeros, used when no bias is given
} qvk_weights;

/// Quantize and pack a row-major [n × k] float weight matrix. `scales`/`zeros` ([n][groups]) may be
/// NULL: then round-to-nearest with per-row (per-group) min/max: s = (max − min)/P, z = round(−min/s).
/// bits ∈ 2...8; group = 0 or a multiple of 8.
qvk_status qvk_weights_create(const float *w, int32_t n, int32_t k, int32_t bits, int32_t group,
                              const float *scales, const float *zeros, qvk_weights **out);
void qvk_weights_destroy(qvk_weights *w);
/// Unsigned quantized value q_w ∈ [0, P] of row n, column k, read back from the packed layout.
int32_t qvk_weights_value(const qvk_weights *w, int32_t n, int32_t k);

/// Quantized activations: one byte per value, row-major [m × k_padded] plus one zero row.
typedef struct qvk_activations {
    int32_t m, k, bits, group;
    int32_t k_padded, groups;
    uint8_t *q;                      // (m + 1) × k_padded, row m is all zeros (tile padding)
    float *scale, *zero;             // [m][groups]
    int32_t *qsum;                   // [m][groups] Σ q_a over the real columns
} qvk_activations;

qvk_status qvk_activations_create(int32_t m, int32_t k, int32_t bits, int32_t group,
                                  qvk_activations **out);
void qvk_activations_destroy(qvk_activations *a);
/// Quantize + pack rows [row_begin, row_end) of the row-major [m × k] float matrix x in one pass:
/// per token (group) min/max → scale, zero point, q, row sums. Disjoint row ranges may run
/// concurrently. Same rule as the weights' round-to-nearest.
qvk_status qvk_activations_quantize(qvk_activations *a, const float *x, int32_t row_begin,
                                    int32_t row_end, qvk_path path);

/// 1 if every int32 accumulator is guaranteed not to overflow: (K or group) · P_a · max|q_w − offset|
/// ≤ 2^31 − 1 (8-bit per channel: K ≤ 65,793). qvk_gemm returns QVK_ERR_ARGUMENT otherwise.
int32_t qvk_accumulators_fit(const qvk_activations *a, const qvk_weights *w);

/// y[m][n] (row-major [m × n]) for rows [row_begin, row_end); bias may be NULL. Disjoint row ranges
/// may run concurrently (the caller splits rows across threads).
qvk_status qvk_gemm(qvk_path path, const qvk_activations *a, const qvk_weights *w,
                    const float *bias, float *y, int32_t row_begin, int32_t row_end);
/// The raw integer accumulators D = Σ q_a (q_w − offset), row-major [m][groups][n], for exact tests.
qvk_status qvk_gemm_accumulators(qvk_path path, const qvk_activations *a, const qvk_weights *w,
                                 int32_t *out, int32_t row_begin, int32_t row_end);

/// Register-only loop of independent dpbusd ops: runs `iterations` × (ops per iteration), returns a
/// checksum (prevents dead-code elimination) and the multiply-accumulates done in *macs.
/// width 512 → AVX-512 VNNI zmm, 256 → AVX-VNNI ymm. Returns 0 with *macs = 0 if unsupported.
int64_t qvk_dpbusd_peak(int32_t width, int64_t iterations, int64_t *macs);

/// The micro-kernel alone on L1-resident data: `iterations` calls of one 6 × 64 tile over K = k
/// (multiple of 8) with weights of `weight_bits`. Returns a checksum; *macs = work done (0 if the
/// path or arguments are invalid). Measures the inner loop against the dpbusd peak.
int64_t qvk_tile_loop(qvk_path path, int32_t weight_bits, int32_t k, int64_t iterations, int64_t *macs);

#ifdef __cplusplus
}
#endif
