/// Shape outlines in object-local units: the object's "radius" R scales them, the centre of each
/// shape is its area centroid (so a measured pixel centroid equals the ground-truth centre).
extension ShapeKind {
    /// Whether local point (u, v) (in units of R, y down, before rotation) lies inside the shape.
    @inline(__always)
    func contains(_ u: Float, _ v: Float) -> Bool {
        switch self {
        case .circle:
            return u * u + v * v <= 1
        case .square:
            return abs(u) <= 0.85 && abs(v) <= 0.85
        case .triangle:
            // Equilateral, pointing up, circumradius 1.35: three half-planes at the inradius 0.675.
            return v <= 0.675 && 0.8660254 * u - 0.5 * v <= 0.675 && -0.8660254 * u - 0.5 * v <= 0.675
        case .diamond:
            return abs(u) / 0.9 + abs(v) / 1.25 <= 1
        case .cross:
            let au = abs(u), av = abs(v)
            return (au <= 0.36 && av <= 1.1) || (av <= 0.36 && au <= 1.1)
        }
    }

    /// Exact area in units of R².
    public var areaFactor: Float {
        switch self {
        case .circle: Float.pi
        case .square: 1.7 * 1.7
        case .triangle: 3 * 1.7320508 / 4 * 1.35 * 1.35
        case .diamond: 2 * 0.9 * 1.25
        case .cross: 2 * (2.2 * 0.72) - 0.72 * 0.72
        }
    }

    /// Distance from the centre to the farthest point, in units of R (for keeping shapes in frame).
    public var boundingRadius: Float {
        switch self {
        case .circle: 1
        case .square: 1.2021
        case .triangle: 1.35
        case .diamond: 1.25
        case .cross: 1.1575
        }
    }
}
