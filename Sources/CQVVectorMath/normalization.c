// Row-wise softmax and layer normalisation with their backward passes.
#include <math.h>
#include "qvvectormath.h"
#include "internal.h"

QV_CLONES
void qv_softmax_rows(const float *restrict x, float *restrict y, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols;
        float m = -INFINITY;
        for (long j = 0; j < cols; j++) m = xr[j] > m ? xr[j] : m;
        if (m == -INFINITY) {  // fully masked row: zeros rather than NaN
            for (long j = 0; j < cols; j++) yr[j] = 0;
            continue;
        }
        for (long j = 0; j < cols; j++) yr[j] = qv_fast_exp(xr[j] - m);
        const float inv = 1.0f / qv_row_sum(yr, cols);
        for (long j = 0; j < cols; j++) yr[j] *= inv;
    }
}

QV_CLONES
void qv_softmax_backward_rows(const float *y, const float *g, float *out, long rows, long cols, float scale,
                              int accumulate) {
    for (long r = 0; r < rows; r++) {
        const float *yr = y + r * cols, *gr = g + r * cols;
        float *o = out + r * cols;
        const float dot = qv_row_dot(gr, yr, cols);
        if (accumulate) {
            for (long k = 0; k < cols; k++) o[k] += scale * (yr[k] * (gr[k] - dot));
        } else {
            for (long k = 0; k < cols; k++) o[k] = scale * (yr[k] * (gr[k] - dot));
        }
    }
}

QV_CLONES
void qv_layernorm_rows(const float *restrict x, float *restrict y, float *restrict xhat, float *restrict rstd,
                       const float *restrict w, const float *restrict b, long rows, long cols, float eps) {
    for (long r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *yr = y + r * cols, *hr = xhat + r * cols;
        const float mean = qv_row_sum(xr, cols) / (float)cols;
        for (long j = 0; j < cols; j++) hr[j] = xr[j] - mean;  // centred values first
        const float var = qv_row_dot(hr, hr, cols);
        const float s = 1.0f / sqrtf(var / (float)cols + eps);
        rstd[r] = s;
        for (long k = 0; k < cols; k++) hr[k] *= s;
        if (w && b) {
            for (long k = 0; k < cols; k++) yr[k] = hr[k] * w[k] + b[k];
        } else if (w) {
            for (long k = 0; k < cols; k++) yr[k] = hr[k] * w[k];
        } else if (b) {
            for (long k = 0; k < cols; k++) yr[k] = hr[k] + b[k];
        } else {
            for (long k = 0; k < cols; k++) yr[k] = hr[k];
        }
    }
}

/// Σ gh and Σ gh·xhat over a row, gh = g·w (w NULL = 1), in fixed partial sums. Inlined into each
/// branch of the caller, so the weight test is outside the vector loop.
static inline __attribute__((always_inline)) void gradient_moments(const float *g, const float *w, const float *h,
                                                                   long cols, float *sumG, float *sumGX) {
    float accG[QV_LANES] = {0}, accGX[QV_LANES] = {0};
    long j = 0;
    for (; j + QV_LANES <= cols; j += QV_LANES)
        for (int l = 0; l < QV_LANES; l++) {
            const float gh = w ? g[j + l] * w[j + l] : g[j + l];
            accG[l] += gh;
            accGX[l] += gh * h[j + l];
        }
    float a = 0, b = 0;
    for (int l = 0; l < QV_LANES; l++) { a += accG[l]; b += accGX[l]; }
    for (; j < cols; j++) {
        const float gh = w ? g[j] * w[j] : g[j];
        a += gh;
        b += gh * h[j];
    }
    *sumG = a;
    *sumGX = b;
}

QV_CLONES
void qv_layernorm_backward_rows(const float *restrict g, const float *restrict xhat, const float *restrict rstd,
                                const float *restrict w, float *restrict dx, float *restrict dw,
                                float *restrict db, long rows, long cols) {
    for (long r = 0; r < rows; r++) {
        const float *gr = g + r * cols, *hr = xhat + r * cols;
        if (dw)
            for (long j = 0; j < cols; j++) dw[j] += gr[j] * hr[j];
        if (db)
            for (long j = 0; j < cols; j++) db[j] += gr[j];
        if (!dx) continue;
        float *dr = dx + r * cols;
        float meanG, meanGX;
        if (w) {
            gradient_moments(gr, w, hr, cols, &meanG, &meanGX);
        } else {
            gradient_moments(gr, NULL, hr, cols, &meanG, &meanGX);
        }
        meanG /= (float)cols;
        meanGX /= (float)cols;
        const float s = rstd[r];
        if (w) {
            for (long k = 0; k < cols; k++) dr[k] += s * (gr[k] * w[k] - meanG - hr[k] * meanGX);
        } else {
            for (long k = 0; k < cols; k++) dr[k] += s * (gr[k] - meanG - hr[k] * meanGX);
        }
    }
}
