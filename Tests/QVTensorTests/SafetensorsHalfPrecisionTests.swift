import Testing
@testable import QVTensor

/// F16/BF16 conversions against hand-computed bit patterns, exhaustive round trips, and (where the
/// platform has it) the hardware `Float16` conversion as an independent reference.
@Suite("Safetensors half precision")
struct SafetensorsHalfPrecisionTests {
    func f(_ bits: UInt32) -> Float { Float(bitPattern: bits) }

    @Test("Float32 → F16 bit patterns: normals, rounding ties, subnormals, overflow, specials")
    func float16Encode() {
        let cases: [(Float, UInt16, String)] = [
            (1, 0x3C00, "one"), (-2, 0xC000, "minus two"), (0.1, 0x2E66, "0.1 rounds down"),
            (0, 0x0000, "zero"), (-0.0, 0x8000, "negative zero"),
            (65504, 0x7BFF, "largest finite"), (65519, 0x7BFF, "below the overflow midpoint"),
            (65520, 0x7C00, "overflow midpoint ties to even = ∞"), (1e10, 0x7C00, "overflow"),
            (-1e10, 0xFC00, "negative overflow"),
            (.infinity, 0x7C00, "+∞"), (-.infinity, 0xFC00, "−∞"),
            (0x1p-14, 0x0400, "smallest normal"), (0x1p-24, 0x0001, "smallest subnormal"),
            (Float(1023) * 0x1p-24, 0x03FF, "largest subnormal"),
            (0x1p-25, 0x0000, "half the smallest subnormal ties to even = 0"),
            (Float(0x1p-25).nextUp, 0x0001, "just above the tie rounds up"),
            (3 * 0x1p-25, 0x0002, "1.5 units ties to even = 2"),
            (5 * 0x1p-25, 0x0002, "2.5 units ties to even = 2"),
            (1 + 0x1p-11, 0x3C00, "tie between 1 and 1+2⁻¹⁰ goes to even 1"),
            (1 + 3 * 0x1p-11, 0x3C02, "tie between 0x3C01 and 0x3C02 goes to even"),
            (1 + 0x1p-11 + 0x1p-20, 0x3C01, "just above a tie rounds up"),
            (2047 * 0x1p-25, 0x0400, "rounding carries a subnormal into the smallest normal"),
            (1e-10, 0x0000, "underflow"), (f(0x0000_0001), 0x0000, "Float32 subnormal underflows"),
            (-0x1p-24, 0x8001, "negative subnormal"),
        ]
        for (value, bits, what) in cases {
            #expect(HalfPrecision.float16Bits(from: value) == bits, "\(what): \(value)")
        }
        #expect(HalfPrecision.float16Bits(from: .nan) == 0x7E00)
        #expect(HalfPrecision.float16Bits(from: f(0x7F80_0001)) == 0x7E00, "signalling NaN is quieted, stays NaN")
        #expect(HalfPrecision.float16Bits(from: f(0xFFC0_2000)) == 0xFE01, "sign and top payload bits kept")
    }

    @Test("F16 → Float32 bit patterns")
    func float16Decode() {
        #expect(HalfPrecision.float(fromFloat16Bits: 0x3C00) == 1)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x3555) == 0.333251953125)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x83FF) == -1023 * 0x1p-24)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x8000).bitPattern == 0x8000_0000)
        #expect(HalfPrecision.float(fromFloat16Bits: 0xFC00) == -.infinity)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7E00).bitPattern == 0x7FC0_0000)
        #expect(HalfPrecision.float(fromFloat16Bits: 0x7C01).isNaN)
    }

    @Test("Every F16 pattern survives F16 → Float32 → F16 (NaNs stay NaN)")
    func float16Exhaustive() {
        var mismatches = 0
        for raw in 0...0xFFFF {
            let bits = UInt16(raw)
            let wide = HalfPrecision.float(fromFloat16Bits: bits)
            let back = HalfPrecision.float16Bits(from: wide)
            let isNaN = bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0
            if isNaN {
                if !wide.isNaN || back & 0x7C00 != 0x7C00 || back & 0x03FF == 0 { mismatches += 1 }
            } else if back != bits {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    @Test("F16 conversions agree with the platform's Float16 on edge cases and 200,000 random floats")
    func float16AgainstPlatform() {
        var g = SeededGenerator(seed: 16)
        var disagreements = 0
        for i in 0..<200_000 {
            // Mix raw bit patterns (all exponents) with values concentrated in the half range.
            let x: Float = i % 2 == 0 ? Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
                                      : g.uniform(-1, 1) * Float(sign: .plus, exponent: g.nextInt(below: 40) - 26, significand: 1)
            if x.isNaN { continue }
            if HalfPrecision.float16Bits(from: x) != Float16(x).bitPattern { disagreements += 1 }
        }
        for raw in 0...0xFFFF {
            let h = Float16(bitPattern: UInt16(raw))
            if h.isNaN { continue }
            if HalfPrecision.float(fromFloat16Bits: UInt16(raw)).bitPattern != Float(h).bitPattern { disagreements += 1 }
        }
        #expect(disagreements == 0)
    }
    #endif

    @Test("Float32 → BF16 bit patterns: ties to even, overflow, NaN, subnormals")
    func bfloat16Encode() {
        let cases: [(UInt32, UInt16, String)] = [
            (0x3F80_0000, 0x3F80, "one"), (0x3F80_8000, 0x3F80, "tie goes to even (down)"),
            (0x3F81_8000, 0x3F82, "tie goes to even (up)"), (0x3F80_8001, 0x3F81, "above the tie"),
            (0x3F80_7FFF, 0x3F80, "below the tie"), (0x7F7F_FFFF, 0x7F80, "Float32 max rounds to ∞"),
            (0xFF7F_FFFF, 0xFF80, "−max rounds to −∞"), (0x7F80_0000, 0x7F80, "+∞"),
            (0x8000_0000, 0x8000, "−0"), (0x0000_8000, 0x0000, "subnormal tie to even zero"),
            (0x0001_8000, 0x0002, "subnormal tie to even"), (0x3DCC_CCCD, 0x3DCD, "0.1"),
        ]
        for (bits, expected, what) in cases {
            #expect(HalfPrecision.bfloat16Bits(from: f(bits)) == expected, "\(what)")
        }
        #expect(HalfPrecision.bfloat16Bits(from: f(0x7F80_0001)) == 0x7FC0, "signalling NaN is quieted")
        #expect(HalfPrecision.bfloat16Bits(from: f(0xFFFF_FFFF)) == 0xFFFF, "NaN payload kept, never rounds to ∞")
        #expect(HalfPrecision.float(fromBFloat16Bits: 0x3F80) == 1)
        #expect(HalfPrecision.float(fromBFloat16Bits: 0xC0A0) == -5)
    }

    @Test("BF16 rounding picks the nearer neighbour (ties to even) for random floats")
    func bfloat16Nearest() {
        var g = SeededGenerator(seed: 17)
        var bad = 0
        for _ in 0..<100_000 {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: g.next()))
            if !x.isFinite { continue }
            let truncated = UInt16(x.bitPattern >> 16)
            let down = Double(HalfPrecision.float(fromBFloat16Bits: truncated))
            let up = Double(HalfPrecision.float(fromBFloat16Bits: truncated &+ 1))  // next magnitude (may be ∞)
            if up.isInfinite { continue }  // the overflow boundary is covered by the hand-computed cases
            let dDown = abs(Double(x) - down), dUp = abs(up - Double(x))
            let expected: UInt16 = dDown < dUp ? truncated : dDown > dUp ? truncated &+ 1
                : (truncated & 1 == 0 ? truncated : truncated &+ 1)
            if HalfPrecision.bfloat16Bits(from: x) != expected { bad += 1 }
        }
        #expect(bad == 0)
    }
}
