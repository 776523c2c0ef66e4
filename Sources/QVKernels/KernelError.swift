import CQVKernels

/// Errors of the integer kernels; each message names the operand and the problem.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    case nonFiniteInput(String)
    case invalidScale(String)
    case unsupportedPath(KernelPath)
    case allocationFailed(String)
    case mismatch(String)

    public var description: String {
        switch self {
        case .invalidArgument(let what): "invalid argument: \(what)"
        case .nonFiniteInput(let what): "\(what) contains NaN or infinity; quantization needs finite values"
        case .invalidScale(let what): "\(what): every scale must be finite and > 0 and every zero point finite"
        case .unsupportedPath(let path):
            "kernel path \(path) needs instructions this CPU lacks (supported: \(KernelPath.supported.map(\.description).joined(separator: ", ")))"
        case .allocationFailed(let what): "could not allocate memory for \(what)"
        case .mismatch(let what): "operands do not fit together: \(what)"
        }
    }

    /// Throws the error matching a C status; `context` names the operand.
    static func check(_ status: qvk_status, _ context: @autoclosure () -> String, path: KernelPath = .auto) throws {
        switch status {
        case QVK_OK: return
        case QVK_ERR_NONFINITE: throw KernelError.nonFiniteInput(context())
        case QVK_ERR_BAD_SCALE: throw KernelError.invalidScale(context())
        case QVK_ERR_UNSUPPORTED_PATH: throw KernelError.unsupportedPath(path)
        case QVK_ERR_ALLOC: throw KernelError.allocationFailed(context())
        case QVK_ERR_MISMATCH: throw KernelError.mismatch(context())
        default: throw KernelError.invalidArgument(context())
        }
    }
}
