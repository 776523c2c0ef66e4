// Binary ops over rows with 0/1 strides, and the accumulations their backward passes need.
#include "qvvectormath.h"
#include "internal.h"

#define QV_ROW_LOOP(EXPR)                                                          \
    do {                                                                           \
        if (sx == 1 && sy == 1) {                                                  \
            for (long i = 0; i < n; i++) { float a = x[i], b = y[i]; z[i] = EXPR; } \
        } else if (sx == 1) {                                                      \
            const float b = y[0];                                                  \
            for (long i = 0; i < n; i++) { float a = x[i]; z[i] = EXPR; }          \
        } else if (sy == 1) {                                                      \
            const float a = x[0];                                                  \
            for (long i = 0; i < n; i++) { float b = y[i]; z[i] = EXPR; }          \
        } else {                                                                   \
            float a = x[0], b = y[0], v = EXPR;                                    \
            for (long i = 0; i < n; i++) z[i] = v;                                 \
        }                                                                          \
    } while (0)

QV_CLONES
void qv_binary(qv_binary_kind kind, float *restrict z, const float *restrict x, long sx, const float *restrict y,
               long sy, long n) {
    switch (kind) {
    case QV_ADD: QV_ROW_LOOP(a + b); break;
    case QV_SUB: QV_ROW_LOOP(a - b); break;
    case QV_MUL: QV_ROW_LOOP(a * b); break;
    case QV_DIV: QV_ROW_LOOP(a / b); break;
    case QV_MAX: QV_ROW_LOOP(b >= a ? b : a); break;
    case QV_MIN: QV_ROW_LOOP(b < a ? b : a); break;
    }
}

QV_CLONES
void qv_multiply_add(float *restrict z, const float *restrict a, const float *restrict b, long sb,
                     const float *restrict c, long sc, long n) {
    if (sb == 1 && sc == 1) {
        for (long i = 0; i < n; i++) z[i] = a[i] * b[i] + c[i];
    } else if (sb == 1) {
        const float k = c[0];
        for (long i = 0; i < n; i++) z[i] = a[i] * b[i] + k;
    } else if (sc == 1) {
        const float m = b[0];
        for (long i = 0; i < n; i++) z[i] = a[i] * m + c[i];
    } else {
        const float m = b[0], k = c[0];
        for (long i = 0; i < n; i++) z[i] = a[i] * m + k;
    }
}

QV_CLONES
void qv_accumulate_scaled(float *restrict d, const float *restrict g, float c, long n) {
    if (c == 1.0f) {
        for (long i = 0; i < n; i++) d[i] += g[i];
    } else {
        for (long i = 0; i < n; i++) d[i] += c * g[i];
    }
}

QV_CLONES
void qv_accumulate_product(float *restrict d, const float *restrict g, const float *restrict w, long sw, long n) {
    if (sw == 1) {
        for (long i = 0; i < n; i++) d[i] += g[i] * w[i];
    } else {
        const float c = w[0];
        for (long i = 0; i < n; i++) d[i] += g[i] * c;
    }
}

QV_CLONES
float qv_dot(const float *restrict a, const float *restrict b, long sb, long n) {
    if (sb == 1) return qv_row_dot(a, b, n);
    // Broadcast b: Σ a[i]·c, each product rounded as in the contiguous case.
    const float c = b[0];
    float acc[QV_LANES] = {0};
    long i = 0;
    for (; i + QV_LANES <= n; i += QV_LANES)
        for (int l = 0; l < QV_LANES; l++) acc[l] += a[i + l] * c;
    float total = 0;
    for (int l = 0; l < QV_LANES; l++) total += acc[l];
    for (; i < n; i++) total += a[i] * c;
    return total;
}

QV_CLONES
void qv_fill_rows(float *restrict c, const float *restrict bias, long m, long n) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) c[i * n + j] = bias[j];
}

QV_CLONES
void qv_column_sums_accumulate(float *restrict db, const float *restrict g, long m, long n) {
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) db[j] += g[i * n + j];
}
