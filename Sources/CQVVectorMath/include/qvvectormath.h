#pragma once
// Vectorised float kernels behind QVTensor's elementwise, normalisation and softmax ops.
//
// Each kernel is plain C compiled three times (AVX-512F, x86-64-v3 = AVX2+FMA, baseline) through
// `target_clones`; the loader picks the widest clone this CPU supports, so the binary stays portable
// while the hot loops run 16 floats wide on AVX-512 machines. Swift itself compiles for baseline
// x86-64 (SSE2), which is why these loops live in C (DESIGN.md §11: "C only where intrinsics are
// needed").
//
// Conventions: `n`, `rows`, `cols` are element counts; a stride argument is 0 (broadcast one value)
// or 1 (contiguous). Kernels named `accumulate` add into their destination.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { QV_ADD = 0, QV_SUB = 1, QV_MUL = 2, QV_DIV = 3, QV_MAX = 4, QV_MIN = 5 } qv_binary_kind;

/// z[i] = x[i·sx] ∘ y[i·sy] for i < n.
void qv_binary(qv_binary_kind kind, float *z, const float *x, long sx, const float *y, long sy, long n);

/// z[i] = a[i]·b[i·sb] + c[i·sc] (rounded after the product, like the two separate ops).
void qv_multiply_add(float *z, const float *a, const float *b, long sb, const float *c, long sc, long n);

/// d[i] += c · g[i].
void qv_accumulate_scaled(float *d, const float *g, float c, long n);
/// d[i] += g[i] · w[i·sw].
void qv_accumulate_product(float *d, const float *g, const float *w, long sw, long n);
/// Σ a[i]·b[i·sb] for sb ∈ {0, 1} (b broadcast or contiguous; row plans never give other strides),
/// in 16 fixed partial sums: the same order, hence the same bits, on every clone.
float qv_dot(const float *a, const float *b, long sb, long n);

/// y = GELU(x) (tanh form); when `slope` is not NULL also slope = dGELU/dx.
void qv_gelu(const float *x, float *y, float *slope, long n);
/// y = x·σ(x); when `slope` is not NULL also its derivative.
void qv_silu(const float *x, float *y, float *slope, long n);
/// y = e^x (relative error < 2e-7 on [−87, 88], clamped outside).
void qv_exp(const float *x, float *y, long n);

/// Softmax of each row (max-subtracted); a row of only −∞ gives zeros.
void qv_softmax_rows(const float *x, float *y, long rows, long cols);
/// Softmax backward per row: out = scale · y ⊙ (g − Σ g⊙y), added to `out` when `accumulate`.
/// `out` may alias `g` when not accumulating.
void qv_softmax_backward_rows(const float *y, const float *g, float *out, long rows, long cols, float scale,
                              int accumulate);

/// Layer norm over rows: xhat = (x − μ)·rstd, y = xhat·w + b (w, b may be NULL = 1, 0).
void qv_layernorm_rows(const float *x, float *y, float *xhat, float *rstd, const float *w, const float *b,
                       long rows, long cols, float eps);
/// Layer norm backward, accumulating: dx (may be NULL), dw and db (may be NULL) from the output
/// gradient g, the saved xhat and rstd, and the weight w (NULL = 1).
void qv_layernorm_backward_rows(const float *g, const float *xhat, const float *rstd, const float *w, float *dx,
                                float *dw, float *db, long rows, long cols);

/// c[i, j] = bias[j] for an m×n row-major block (the β = 1 start of a GEMM with bias).
void qv_fill_rows(float *c, const float *bias, long m, long n);
/// db[j] += Σ_i g[i, j] over an m×n row-major block.
void qv_column_sums_accumulate(float *db, const float *g, long m, long n);

/// One AdamW step: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w·decay − lr·(m/c₁)/(√(v/c₂) + ε),
/// with c₁, c₂ the bias corrections and decay = 1 − lr·weight decay.
void qv_adamw_update(float *w, float *m, float *v, const float *g, long n, float beta1, float beta2,
                     float correction1, float correction2, float lr, float decay, float eps);

/// Which clone the loader picked for this CPU: "avx512f", "x86-64-v3" or "default".
const char *qv_vector_math_path(void);

#ifdef __cplusplus
}
#endif
