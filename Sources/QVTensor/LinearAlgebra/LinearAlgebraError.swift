/// Failures of the linear-algebra routines, each naming the routine or operation concerned.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Shapes that do not fit together, or a buffer whose size does not match its dimensions.
    case dimensionMismatch(String)
    /// The input held NaN or ±∞ (LAPACK's result would be meaningless).
    case nonFiniteInput(routine: String, rows: Int, cols: Int)
    /// LAPACK reported `info ≠ 0`: negative = illegal argument (a bug here), positive = no convergence.
    case lapackFailure(routine: String, info: Int32)
    /// A matrix that must be symmetric is not, up to the stated relative tolerance.
    case notSymmetric(routine: String, maxAsymmetry: Double, tolerance: Double)
    /// A matrix that must be positive semidefinite has an eigenvalue well below zero.
    case notPositiveSemidefinite(routine: String, smallestEigenvalue: Double, tolerance: Double)

    public var description: String {
        switch self {
        case .dimensionMismatch(let what):
            return "linear algebra: dimension mismatch: \(what)"
        case .nonFiniteInput(let routine, let rows, let cols):
            return "\(routine): the \(rows)×\(cols) input contains NaN or infinity; check upstream values"
        case .lapackFailure(let routine, let info) where info < 0:
            return "\(routine): LAPACK rejected argument \(-info) (info = \(info))"
        case .lapackFailure(let routine, let info):
            return "\(routine): LAPACK did not converge (info = \(info))"
        case .notSymmetric(let routine, let asym, let tol):
            return "\(routine): input is not symmetric (max |aᵢⱼ − aⱼᵢ| = \(asym) relative to max |aᵢⱼ|, "
                + "tolerance \(tol))"
        case .notPositiveSemidefinite(let routine, let smallest, let tol):
            return "\(routine): input is not positive semidefinite (smallest eigenvalue \(smallest), "
                + "allowed down to −\(tol) × largest |eigenvalue|)"
        }
    }
}
