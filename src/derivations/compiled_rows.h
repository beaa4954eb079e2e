/* The rows of the softmax VJP for one float type. compiled.c includes this
   file twice: with T = float, LANES = 16 and T = double, LANES = 8, and with
   the names the two get, ROWS and DOT. */

/* sum_j a[j] b[j] over n entries, in LANES partial sums halved down to one:
   the same order every time for the same n. */
static inline T DOT(const T *restrict a, const T *restrict b, long n)
{
    T s[LANES] = {0};
    long whole = n - n % LANES;
    for (long j = 0; j < whole; j += LANES)
        for (int k = 0; k < LANES; ++k)
            s[k] += a[j + k] * b[j + k];
    for (long j = whole; j < n; ++j)
        s[0] += a[j] * b[j];
    for (int w = LANES / 2; w; w >>= 1)
        for (int k = 0; k < w; ++k)
            s[k] += s[k + w];
    return s[0];
}

/* dz = p * (dp - <p, dp>) for M rows of C entries, and each <p, dp> */
void ROWS(const T *restrict p, const T *restrict dp, T *restrict dz,
          T *restrict dot, long M, long C)
{
    for (long n = 0; n < M; ++n) {
        const T *a = p + n * C, *b = dp + n * C;
        T *o = dz + n * C;
        /* first sweep, from memory: the row's dot product, in chunks of
           CHUNK entries (a constant trip count, which the compiler
           unrolls), each chunk's sum added up in double */
        double total = 0.0;
        long j = 0;
        for (; j + CHUNK <= C; j += CHUNK)
            total += (double)DOT(a + j, b + j, CHUNK);
        total += (double)DOT(a + j, b + j, C - j);
        T d = (T)total;
        dot[n] = d;
        /* second sweep, over the row still in cache: dz in one loop */
        for (long i = 0; i < C; ++i)
            o[i] = a[i] * (b[i] - d);
    }
}
