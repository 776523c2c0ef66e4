import CQVKernels

/// Which integer GEMM implementation runs. `.auto` picks the fastest this CPU supports; the others
/// force one path (tests compare every path against `.scalar`, benchmarks time each).
public enum KernelPath: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case auto = 0
    /// Portable C, one multiply-accumulate at a time: the oracle.
    case scalar = 1
    /// `vpmaddubsw` + `vpmaddwd` (saturation-free split for 8-bit activations).
    case avx2 = 2
    /// 256-bit `vpdpbusd` (AVX-VNNI).
    case avxVNNI = 3
    /// 512-bit `vpdpbusd` (AVX-512 VNNI).
    case avx512VNNI = 4

    /// Concrete paths (not `.auto`) this CPU can run, slowest first.
    public static var supported: [KernelPath] {
        let mask = qvk_supported_paths()
        return allCases.filter { $0 != .auto && (mask & (1 << UInt32($0.rawValue))) != 0 }
    }

    /// The path `.auto` resolves to on this CPU.
    public static var best: KernelPath {
        KernelPath(rawValue: Int32(qvk_best_path().rawValue)) ?? .scalar
    }

    /// True if this CPU can run the path (`.auto` always can).
    public var isSupported: Bool { self == .auto || KernelPath.supported.contains(self) }

    /// `.auto` replaced by the concrete path it runs.
    public var resolved: KernelPath { self == .auto ? KernelPath.best : self }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .scalar: "scalar"
        case .avx2: "avx2"
        case .avxVNNI: "avx-vnni"
        case .avx512VNNI: "avx512-vnni"
        }
    }

    var cValue: qvk_path { qvk_path(rawValue: UInt32(rawValue)) }
}
