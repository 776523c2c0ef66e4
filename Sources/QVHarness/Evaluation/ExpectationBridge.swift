import QVData
import QVMetrics

/// Maps the data layer's caption attributes onto the metrics layer's generic expectation: the
/// primary object's colour (with the MotionShapes palette), its motion, and the scene label.
extension ClipExpectation {
    public init(caption: Caption) {
        let palette = ColourName.allCases.map { c in NamedColour(c.rawValue, c.rgb.r, c.rgb.g, c.rgb.b) }
        let primary = caption.primary
        let motion: ExpectedMotion
        if let d = primary.motion.direction {
            motion = .direction(d.metricDirection)
        } else {
            motion = primary.motion.isDynamic ? .other : .stationary
        }
        self.init(objectColour: palette.first { $0.name == primary.colour.rawValue }, palette: palette,
                  motion: motion, scene: caption.scene.label)
    }
}

extension QVData.CompassDirection {
    /// The same direction in the metrics layer's compass terms (north = up).
    var metricDirection: QVMetrics.CompassDirection {
        switch self {
        case .left: return .west
        case .right: return .east
        case .up: return .north
        case .down: return .south
        case .upLeft: return .northWest
        case .upRight: return .northEast
        case .downLeft: return .southWest
        case .downRight: return .southEast
        }
    }
}
