/* The cross-entropy's rows in float32, for integer targets: exp, the row
   sums and the scaling into the gradient, in one sweep from memory and one
   over the row in cache. compiled.c includes this file once. */

/* exp(x) in float32, branch-free so that the compiler vectorises it:
   x = k ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series to r^7, and
   2^k built from its bits in two halves, so that results down to the
   smallest subnormal round once. NaN stays NaN, +inf and x > 88.73 give
   inf, -inf and x < -103.98 give 0. Within 1.2 units in the last place. */
static inline __attribute__((always_inline)) float exp32(float x)
{
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693145751953125f, ln2_lo = 1.428606765330187e-06f;
    /* 1.5 * 2^23: adding it and taking it away rounds to an integer */
    const float round_it = 12582912.0f;
    float xc = x < -104.0f ? -104.0f : (x > 89.0f ? 89.0f : x);
    float kf = (xc * log2e + round_it) - round_it;
    float r = (xc - kf * ln2_hi) - kf * ln2_lo;
    float q = 1.0f / 5040;
    q = q * r + 1.0f / 720;
    q = q * r + 1.0f / 120;
    q = q * r + 1.0f / 24;
    q = q * r + 1.0f / 6;
    q = q * r + 0.5f;
    q = q * r + 1.0f;
    q = q * r + 1.0f;
    int32_t k = (int32_t)kf, k1 = k >> 1, k2 = k - k1;
    int32_t bits1 = (k1 + 127) << 23, bits2 = (k2 + 127) << 23;
    float two_k1, two_k2;
    memcpy(&two_k1, &bits1, sizeof two_k1);
    memcpy(&two_k2, &bits2, sizeof two_k2);
    float y = q * two_k1 * two_k2;
    return x != x ? x : y;
}

/* g = exp(z) over n entries */
static inline __attribute__((always_inline)) void exp_into(const float *restrict z, float *restrict g, long n)
{
    for (long j = 0; j < n; ++j)
        g[j] = exp32(z[j]);
}

/* the sum of g over n entries, in 16 partial sums halved down to one */
static inline __attribute__((always_inline)) float sum32(const float *restrict g, long n)
{
    float s[16] = {0};
    long whole = n - n % 16;
    for (long j = 0; j < whole; j += 16)
        for (int k = 0; k < 16; ++k)
            s[k] += g[j + k];
    for (long j = whole; j < n; ++j)
        s[0] += g[j];
    for (int w = 8; w; w >>= 1)
        for (int k = 0; k < w; ++k)
            s[k] += s[k + w];
    return s[0];
}

/* Row n: g = exp(z); rest[n] = the sum of g without the label's term
   (kept apart, as ek[n], so that the loss needs no subtraction); s[n] =
   rest[n] + ek[n]; then f[n] = num[n] / s[n] and, if scale is set,
   g *= f[n], which is num[n] times the softmax. */
void ce_rows_float32(const float *restrict z, float *restrict g, const int64_t *restrict label,
                     const float *restrict num, float *restrict s, float *restrict rest,
                     float *restrict ek, float *restrict f, long M, long C, int scale)
{
    for (long n = 0; n < M; ++n) {
        const float *zn = z + n * C;
        float *gn = g + n * C;
        long y = label[n];
        double total = 0.0;
        for (long j = 0; j < C; j += CHUNK) {
            /* a chunk at a time, so that it is still in the nearest cache when summed */
            long len = C - j < CHUNK ? C - j : CHUNK;
            exp_into(zn + j, gn + j, len);
            if (y >= j && y < j + len) {
                /* the label's term is left out of the sum, then put back */
                ek[n] = gn[y];
                gn[y] = 0.0f;
                total += (double)sum32(gn + j, len);
                gn[y] = ek[n];
            } else {
                total += (double)sum32(gn + j, len);
            }
        }
        rest[n] = (float)total;
        s[n] = rest[n] + ek[n];
        f[n] = num[n] / s[n];
        if (scale) {
            float fn = f[n];
            for (long i = 0; i < C; ++i)
                gn[i] *= fn;
        }
    }
}
