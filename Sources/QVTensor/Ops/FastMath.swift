/// Branch-free exp/tanh/sigmoid approximations that the compiler can vectorise (glibc's expf and
/// tanhf are opaque calls and dominated the GELU/softmax time of a train step).
/// Relative error of `fastExp` is below 2e-7 over its clamped domain [−87, 88].
@inline(__always) public func fastExp(_ x: Float) -> Float {
    let clamped = Swift.min(Swift.max(x, -87), 88)
    // e^x = 2^n · e^f, n = round(x / ln 2), f = x − n·ln 2 ∈ [−ln2/2, ln2/2] (split ln 2 for accuracy).
    // Round to nearest with the 1.5·2²³ trick (no libm call, so loops vectorise).
    let n = (clamped * 1.442_695_04 + 12_582_912) - 12_582_912
    let f = clamped - n * 0.693_145_75 - n * 1.428_606_8e-6
    // Degree-6 Taylor/minimax polynomial of e^f on the reduced range.
    var p: Float = 1.987_569_1e-4
    p = p * f + 1.398_199_9e-3
    p = p * f + 8.333_452e-3
    p = p * f + 4.166_579_6e-2
    p = p * f + 0.166_666_65
    p = p * f + 0.5
    p = p * f * f + f + 1
    // 2^n from the bits of (n + 127) + 2²³, whose low mantissa bits hold the integer n + 127.
    let scale = Float(bitPattern: ((n + 127 + 8_388_608).bitPattern &- 0x4B00_0000) << 23)
    return p * scale
}

/// tanh through e^{2x}: 1 − 2/(e^{2x} + 1), exact at 0 and saturating to ±1.
@inline(__always) public func fastTanh(_ x: Float) -> Float {
    1 - 2 / (fastExp(2 * x) + 1)
}

/// Logistic sigmoid 1/(1 + e^{−x}).
@inline(__always) public func fastSigmoid(_ x: Float) -> Float {
    1 / (1 + fastExp(-x))
}

/// Round half to even without a libm call (vectorisable): exact for |x| < 2²², which covers every
/// quantizer argument before clamping to 0…255; larger magnitudes are clamped by the callers anyway.
@inline(__always) public func roundHalfEven(_ x: Float) -> Float {
    (x + 12_582_912) - 12_582_912
}

/// Σ p[0..<n] with eight independent partial sums (vectorisable; the order is fixed, so results are
/// deterministic, but differ from a left-to-right sum in the last bits).
@inline(__always) public func vectorSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var total = acc.sum()
    while i < n { total += p[i]; i += 1 }
    return total
}

/// Integer value of a float already rounded and clamped to 0…255 (no trapping conversion, so
/// loops vectorise).
@inline(__always) public func byteValue(_ x: Float) -> UInt8 {
    UInt8(truncatingIfNeeded: (x + 8_388_608).bitPattern)
}
