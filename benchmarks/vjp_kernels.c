/*
 * Three ways to compute dz = J^T dp for one softmax row, where
 * J[i][j] = p[i] * (delta_ij - p[j]) is the softmax Jacobian.
 *
 * Compiled twice by bench_costs.py: once for scalar code (-O2
 * -fno-tree-vectorize) and once with the compiler free to use the widest
 * SIMD registers of the machine and to reorder sums (-O3 -march=native
 * -ffast-math). Comparing the builds separates what SIMD buys from what
 * the algorithm buys; see book/12_cost.md.
 */

/* O(C^2): one row of the Jacobian at a time, each entry made on the fly
   and multiplied by dp. No C x C matrix is stored, but C^2 products are
   made. The symmetry of J makes J^T dp = J dp. */
void vjp_quadratic(const float *p, const float *dp, float *dz, long C)
{
    for (long i = 0; i < C; ++i) {
        float acc = 0.0f;
        for (long j = 0; j < C; ++j) {
            float jac = (i == j ? p[i] : 0.0f) - p[i] * p[j];
            acc += jac * dp[j];
        }
        dz[i] = acc;
    }
}

/* O(C^2) as well, written as "minus p_i times a sum over j", the sum then
   corrected on the diagonal: the loop shape of the question's C++ code.
   The sum does not depend on i, which is the whole point: see below. */
void vjp_quadratic_factored(const float *p, const float *dp, float *dz, long C)
{
    for (long i = 0; i < C; ++i) {
        float acc = 0.0f;
        for (long j = 0; j < C; ++j)
            acc += -p[i] * p[j] * dp[j];
        dz[i] = acc;
    }
    for (long i = 0; i < C; ++i)
        dz[i] += p[i] * dp[i];
}

/* O(C): the sum over j is the same number for every i, <p, dp>; compute
   it once. */
void vjp_linear(const float *p, const float *dp, float *dz, long C)
{
    float dot = 0.0f;
    for (long j = 0; j < C; ++j)
        dot += p[j] * dp[j];
    for (long i = 0; i < C; ++i)
        dz[i] = p[i] * (dp[i] - dot);
}
