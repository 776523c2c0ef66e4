/// sin, cos and exp built only from IEEE additions and multiplications, so rendered bytes are the
/// same on every platform (libm implementations may differ in the last bit, which can flip a rounded
/// pixel and change a content hash). Accuracy ~1e-15 relative in Double before the final rounding to
/// Float, far below what 8-bit pixels resolve.
enum PortableMath {
    /// sin(x) and cos(x) for |x| < 1e6.
    static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let halfPi = 1.5707963267948966
        let k = (x / halfPi).rounded()
        // Two-part π/2 keeps the reduction accurate for the angles used here.
        let r = (x - k * 1.5707963267948966) - k * 6.123233995736766e-17
        let r2 = r * r
        // Taylor series to r^15 / r^14: error < 1e-16 for |r| ≤ π/4.
        var s = -1.0 / 1_307_674_368_000
        s = s * r2 + 1.0 / 6_227_020_800
        s = s * r2 - 1.0 / 39_916_800
        s = s * r2 + 1.0 / 362_880
        s = s * r2 - 1.0 / 5040
        s = s * r2 + 1.0 / 120
        s = s * r2 - 1.0 / 6
        s = (s * r2) * r + r
        var c = 1.0 / 87_178_291_200
        c = c * r2 - 1.0 / 479_001_600
        c = c * r2 + 1.0 / 3_628_800
        c = c * r2 - 1.0 / 40320
        c = c * r2 + 1.0 / 720
        c = c * r2 - 1.0 / 24
        c = c * r2 + 0.5
        c = 1 - c * r2
        switch Int(k) & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    /// e^x for x in [-700, 700].
    static func exp(_ x: Double) -> Double {
        let clamped = min(max(x, -700), 700)
        let ln2 = 0.6931471805599453
        let k = (clamped / ln2).rounded()
        let r = (clamped - k * 0.6931471803691238) - k * 1.9082149292705877e-10
        // Taylor to r^13 for |r| ≤ ln2/2: error < 1e-17.
        var p = inverseFactorials[13]
        for n in stride(from: 12, through: 0, by: -1) { p = p * r + inverseFactorials[n] }
        return p * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// 1/n! for n = 0…13.
    private static let inverseFactorials: [Double] = {
        var out = [1.0]
        var f = 1.0
        for n in 1...13 { f *= Double(n); out.append(1 / f) }
        return out
    }()
}

@inline(__always) func mathSin(_ x: Float) -> Float { Float(PortableMath.sinCos(Double(x)).sin) }
@inline(__always) func mathCos(_ x: Float) -> Float { Float(PortableMath.sinCos(Double(x)).cos) }
@inline(__always) func mathExp(_ x: Float) -> Float { Float(PortableMath.exp(Double(x))) }
