/// Seeded, continuous 2-D noise for background textures: integer-lattice hashing with smooth
/// (smoothstep) bilinear interpolation. Defined on continuous world coordinates, so a camera pan by a
/// fraction of a pixel shifts the texture smoothly instead of re-rolling it.
struct ProceduralNoise: Sendable {
    let seed: UInt64

    /// Hash of a lattice point to [0, 1).
    @inline(__always)
    func lattice(_ ix: Int, _ iy: Int, _ salt: UInt64 = 0) -> Float {
        var h = seed ^ (salt &* 0x9E37_79B9_7F4A_7C15)
        h ^= UInt64(bitPattern: Int64(ix)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 31)) &* 0x94D0_49BB_1331_11EB
        h ^= UInt64(bitPattern: Int64(iy)) &* 0xD6E8_FEB8_6659_FD93
        h = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Float(h >> 40) * (1.0 / 16_777_216.0)
    }

    /// Value noise in [0, 1) at (x, y), lattice spacing 1.
    @inline(__always)
    func value(_ x: Float, _ y: Float, _ salt: UInt64 = 0) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int(fx), iy = Int(fy)
        var tx = x - fx, ty = y - fy
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        let a = lattice(ix, iy, salt), b = lattice(ix &+ 1, iy, salt)
        let c = lattice(ix, iy &+ 1, salt), d = lattice(ix &+ 1, iy &+ 1, salt)
        let top = a + (b - a) * tx, bottom = c + (d - c) * tx
        return top + (bottom - top) * ty
    }

    /// Two-octave fractal noise in [0, 1).
    @inline(__always)
    func fractal(_ x: Float, _ y: Float, _ salt: UInt64 = 0) -> Float {
        (value(x, y, salt) * 2 + value(x * 2.03 + 17.1, y * 2.03 + 5.3, salt &+ 1)) * (1.0 / 3.0)
    }
}
