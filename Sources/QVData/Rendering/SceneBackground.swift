import QVTensor

/// The procedural background of one clip: a scene plus per-seed jitter (brightness, texture offset).
///
/// Colours are evaluated at continuous world coordinates measured in "reference pixels" (1/32 of the
/// clip's shorter side), so textures look alike at every resolution and a camera pan is a shift of
/// the world coordinates.
public struct SceneBackground: Sendable {
    public let scene: SceneKind
    /// Multiplicative brightness jitter (around 1).
    public let brightness: Float
    let noise: ProceduralNoise
    let offsetX: Float, offsetY: Float
    /// Clip height in reference pixels (skies' gradients span it).
    let heightUnits: Float

    /// Draws the jitter from `generator`; `heightUnits` is the frame height in reference pixels.
    init(scene: SceneKind, heightUnits: Float, generator g: inout SeededGenerator) {
        self.scene = scene
        self.heightUnits = heightUnits
        brightness = g.uniform(0.93, 1.07)
        noise = ProceduralNoise(seed: g.next())
        offsetX = g.uniform(0, 512)
        offsetY = g.uniform(0, 512)
    }

    /// The RGB colour (0…255 floats, unclamped) at world position (x, y) in reference pixels.
    @inline(__always)
    func colour(x: Float, y: Float) -> (Float, Float, Float) {
        let tx = x + offsetX, ty = y + offsetY
        var r: Float, g: Float, b: Float
        switch scene {
        case .greyBackground:
            let n = noise.fractal(tx / 6, ty / 6) - 0.5
            let v = 128 + 22 * n
            (r, g, b) = (v, v, v)
        case .daySky:
            let v = min(max(y / heightUnits, -0.3), 1.3)
            r = 70 + 105 * v; g = 140 + 70 * v; b = 222 + 23 * v
            let cloud = smooth(0.5, 0.78, noise.fractal(tx / 10, ty / 4)) * 0.45
            r += (236 - r) * cloud; g += (240 - g) * cloud; b += (250 - b) * cloud
        case .nightSky:
            let v = min(max(y / heightUnits, -0.3), 1.3)
            r = 8 + 17 * v; g = 10 + 20 * v; b = 36 + 40 * v
            let s = star(tx, ty)
            r += s; g += s; b += s * 0.9
        case .greenGrass:
            let blades = noise.value(tx / 1.3, ty / 6, 3)
            let patches = noise.fractal(tx / 9, ty / 9, 4) - 0.5
            let f = 0.72 + 0.42 * blades + 0.25 * patches
            r = (55 + 30 * patches) * f; g = 118 * f; b = 38 * f
        case .desertSand:
            let warp = noise.fractal(tx / 12, ty / 12, 5) * 4
            let ripple = mathSin((ty + warp) * (2 * Float.pi / 5))
            let grain = noise.value(tx * 1.1, ty * 1.1, 6) - 0.5
            let f = 1 + 0.06 * ripple + 0.08 * grain
            r = 206 * f; g = 174 * f; b = 112 * f
        case .woodenFloor:
            let plank: Float = 7
            let row = (ty / plank).rounded(.down)
            let frac = ty / plank - row
            let tint = 0.86 + 0.28 * noise.lattice(Int(row), 0, 7)
            let grain = noise.value(tx / 9 + row * 37, ty / 1.1, 8) - 0.5
            let seam: Float = frac < 0.13 ? 0.55 : 1
            let f = tint * seam * (1 + 0.22 * grain)
            r = 128 * f; g = 84 * f; b = 46 * f
        }
        return (r * brightness, g * brightness, b * brightness)
    }

    /// Star field: at most one small Gaussian star per 5×5 lattice cell.
    @inline(__always)
    private func star(_ x: Float, _ y: Float) -> Float {
        let cell: Float = 5
        let cx = (x / cell).rounded(.down), cy = (y / cell).rounded(.down)
        var total: Float = 0
        for oy in -1...1 {
            for ox in -1...1 {
                let ix = Int(cx) &+ ox, iy = Int(cy) &+ oy
                guard noise.lattice(ix, iy, 11) < 0.4 else { continue }
                let sx = (Float(ix) + 0.15 + 0.7 * noise.lattice(ix, iy, 12)) * cell
                let sy = (Float(iy) + 0.15 + 0.7 * noise.lattice(ix, iy, 13)) * cell
                let d2 = (x - sx) * (x - sx) + (y - sy) * (y - sy)
                if d2 < 4 {
                    let bright = 140 + 110 * noise.lattice(ix, iy, 14)
                    total += bright * mathExp(-d2 * 2.2)
                }
            }
        }
        return total
    }
}

@inline(__always) func smooth(_ e0: Float, _ e1: Float, _ x: Float) -> Float {
    let t = min(max((x - e0) / (e1 - e0), 0), 1)
    return t * t * (3 - 2 * t)
}
