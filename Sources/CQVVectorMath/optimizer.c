// The AdamW parameter update (decoupled weight decay), one parameter tensor per call.
#include <math.h>
#include "qvvectormath.h"
#include "internal.h"

QV_CLONES
void qv_adamw_update(float *restrict w, float *restrict m, float *restrict v, const float *restrict g, long n,
                     float beta1, float beta2, float correction1, float correction2, float lr, float decay,
                     float eps) {
    const float a1 = 1.0f - beta1, a2 = 1.0f - beta2;
    for (long i = 0; i < n; i++) {
        m[i] = beta1 * m[i] + a1 * g[i];
        v[i] = beta2 * v[i] + a2 * g[i] * g[i];
        const float mh = m[i] / correction1, vh = v[i] / correction2;
        w[i] = w[i] * decay - lr * mh / (sqrtf(vh) + eps);
    }
}
