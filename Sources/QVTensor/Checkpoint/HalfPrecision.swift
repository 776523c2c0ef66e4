/// Bit-exact conversions between Float32 and the 16-bit float formats stored in checkpoints:
/// IEEE binary16 (safetensors "F16") and bfloat16 ("BF16"). Narrowing rounds to nearest, ties to
/// even; overflow gives ±∞; NaN stays NaN (quieted, top payload bits kept). Written with integer
/// bit manipulation so results do not depend on the platform's `Float16` support.
public enum HalfPrecision {
    /// Float32 → binary16 bits.
    public static func float16Bits(from value: Float) -> UInt16 {
        let x = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (x >> 16) & 0x8000)
        let exponent = Int((x >> 23) & 0xFF)
        let mantissa = x & 0x7F_FFFF
        if exponent == 0xFF {
            if mantissa == 0 { return sign | 0x7C00 }
            return sign | 0x7C00 | 0x0200 | UInt16(truncatingIfNeeded: mantissa >> 13)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 31 { return sign | 0x7C00 }
        if halfExponent <= 0 {
            // Subnormal (or zero) result: count units of 2⁻²⁴ in the full 24-bit significand.
            let shift = 14 - halfExponent
            if shift > 24 { return sign }
            let significand = mantissa | 0x80_0000
            var half = significand >> UInt32(shift)
            let remainder = significand & ((1 << UInt32(shift)) - 1)
            let halfway = UInt32(1) << UInt32(shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(truncatingIfNeeded: half)
        }
        var half = UInt32(halfExponent) << 10 | mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }  // carry may reach ∞
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// binary16 bits → Float32 (exact).
    public static func float(fromFloat16Bits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal, exact in Float32
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }

    /// Float32 → bfloat16 bits (the upper half of the Float32, rounded).
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let x = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: x >> 16) | 0x0040 }
        let rounded = x &+ 0x7FFF &+ ((x >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// bfloat16 bits → Float32 (exact).
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
