import QVTensor
/// A Gaussian fitted to a set of feature vectors, the summary a Fréchet distance compares.
///
/// The covariance is shrunk towards a scaled identity with the Ledoit–Wolf (2004) intensity, so it is
/// well conditioned when features outnumber clips (with few clips the sample covariance is singular and
/// its square root unstable); the intensity tends to 0 as clips outnumber features.
public struct FeatureGaussian: Sendable, Hashable, Codable {
    public let dimension: Int
    public let count: Int
    public let mean: [Double]
    /// Row-major dimension × dimension covariance (after shrinkage).
    public let covariance: [Double]
    /// Ledoit–Wolf shrinkage intensity ρ in [0, 1]: Σ = (1 − ρ)·S + ρ·(tr S / d)·I.
    public let shrinkage: Double

    public init(features: [[Double]]) throws {
        guard let first = features.first else { throw MetricsError.emptySet(what: "Fréchet distance feature set") }
        let d = first.count, n = features.count
        for f in features where f.count != d {
            throw MetricsError.featureLengthMismatch(what: "Fréchet distance feature set", expected: d, got: f.count)
        }
        var mean = [Double](repeating: 0, count: d)
        for f in features { for i in 0..<d { mean[i] += f[i] / Double(n) } }
        var s = [Double](repeating: 0, count: d * d)
        let centred = features.map { f in (0..<d).map { f[$0] - mean[$0] } }
        for x in centred {
            for i in 0..<d {
                let xi = x[i] / Double(n)
                for j in 0..<d { s[i * d + j] += xi * x[j] }
            }
        }
        var trace = 0.0
        for i in 0..<d { trace += s[i * d + i] }
        let mu = trace / Double(d)
        var delta2 = 0.0, sNorm2 = 0.0
        for i in 0..<d {
            for j in 0..<d {
                let e = s[i * d + j] - (i == j ? mu : 0)
                delta2 += e * e
                sNorm2 += s[i * d + j] * s[i * d + j]
            }
        }
        delta2 /= Double(d)
        // β̄² = (1/n²) Σ_k ‖x_k x_kᵀ − S‖²_F / d, with ‖x xᵀ − S‖² = |x|⁴ − 2 xᵀSx + ‖S‖².
        var beta2 = 0.0
        for x in centred {
            var norm2 = 0.0, quad = 0.0
            for i in 0..<d {
                norm2 += x[i] * x[i]
                var row = 0.0
                for j in 0..<d { row += s[i * d + j] * x[j] }
                quad += x[i] * row
            }
            beta2 += norm2 * norm2 - 2 * quad + sNorm2
        }
        beta2 = beta2 / Double(n * n) / Double(d)
        let rho = delta2 > 0 ? min(1, max(0, min(beta2, delta2) / delta2)) : 0
        for i in 0..<d {
            for j in 0..<d { s[i * d + j] *= (1 - rho) }
            s[i * d + i] += rho * mu
        }
        dimension = d
        count = n
        self.mean = mean
        covariance = s
        shrinkage = rho
    }

    /// Fréchet (2-Wasserstein) distance between two Gaussians:
    /// `|μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)`, clamped at 0 against rounding.
    public func frechetDistance(to other: FeatureGaussian) throws -> Double {
        let d = dimension
        guard other.dimension == d else {
            throw MetricsError.featureLengthMismatch(what: "Fréchet distance between Gaussians", expected: d, got: other.dimension)
        }
        var meanTerm = 0.0
        for i in 0..<d { meanTerm += (mean[i] - other.mean[i]) * (mean[i] - other.mean[i]) }
        var traces = 0.0
        for i in 0..<d { traces += covariance[i * d + i] + other.covariance[i * d + i] }
        // tr √(Σ₁Σ₂) through the shared LAPACK-backed routine (eigenvalues of √Σ₁ Σ₂ √Σ₁).
        let traceRoot = try traceOfSqrtProduct(DoubleMatrix(rows: d, cols: d, values: covariance),
                                               DoubleMatrix(rows: d, cols: d, values: other.covariance), psdTolerance: 1e-6)
        return max(0, meanTerm + traces - 2 * traceRoot)
    }
}
