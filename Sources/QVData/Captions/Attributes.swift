/// The closed attribute sets of MotionShapes captions. Each case knows the words that name it in a
/// caption, so the grammar, the renderer and the metric checks share one source of truth.

/// An 8-bit sRGB colour.
public struct RGB: Sendable, Hashable, Codable, CustomStringConvertible {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public var description: String { "(\(r), \(g), \(b))" }
    /// Euclidean distance in RGB space (0…441).
    public func distance(to other: RGB) -> Float {
        let dr = Float(r) - Float(other.r), dg = Float(g) - Float(other.g), db = Float(b) - Float(other.b)
        return (dr * dr + dg * dg + db * db).squareRoot()
    }
}

/// Object shapes. Canonical orientation (used unless the motion is `rotates`): square axis-aligned,
/// triangle pointing up, diamond taller than wide, cross upright.
public enum ShapeKind: String, CaseIterable, Sendable, Hashable, Codable {
    case circle, square, triangle, diamond, cross
    /// The caption word.
    public var word: String { rawValue }
    /// Whether a rotation changes how the shape looks (a circle's does not, so "a circle rotates"
    /// cannot be checked and the prompt sets never produce it).
    public var showsRotation: Bool { self != .circle }
}

/// Object colours: eight well-separated hues with exact RGB values (the metric palette).
public enum ColourName: String, CaseIterable, Sendable, Hashable, Codable {
    case red, green, blue, yellow, orange, purple, cyan, white
    public var word: String { rawValue }
    /// The article that reads naturally before the colour word ("an orange", "a red").
    public var article: String { self == .orange ? "an" : "a" }
    /// The exact colour the renderer paints (before the small per-seed shade jitter).
    public var rgb: RGB {
        switch self {
        case .red: RGB(230, 40, 40)
        case .green: RGB(40, 200, 60)
        case .blue: RGB(40, 80, 235)
        case .yellow: RGB(245, 225, 40)
        case .orange: RGB(245, 140, 30)
        case .purple: RGB(150, 60, 210)
        case .cyan: RGB(40, 215, 225)
        case .white: RGB(245, 245, 245)
        }
    }
    /// The whole palette in declaration order, for nearest-colour checks.
    public static var palette: [(name: ColourName, rgb: RGB)] { allCases.map { ($0, $0.rgb) } }
}

/// One of the eight compass directions, in image coordinates (x right, y down).
public enum CompassDirection: String, CaseIterable, Sendable, Hashable, Codable {
    case left, right, up, down
    case upLeft = "up-left", upRight = "up-right", downLeft = "down-left", downRight = "down-right"
    public var word: String { rawValue }
    /// Unit vector in image coordinates (y grows downwards).
    public var unitVector: (dx: Float, dy: Float) {
        let d: Float = 0.70710678
        switch self {
        case .left: return (-1, 0)
        case .right: return (1, 0)
        case .up: return (0, -1)
        case .down: return (0, 1)
        case .upLeft: return (-d, -d)
        case .upRight: return (d, -d)
        case .downLeft: return (-d, d)
        case .downRight: return (d, d)
        }
    }
}

/// What an object does over the clip. Words describe on-screen motion, independent of any camera pan.
public enum MotionKind: Sendable, Hashable, Codable, CaseIterable {
    case moves(CompassDirection)
    case staysStill, grows, shrinks, rotates, bounces

    public static var allCases: [MotionKind] {
        CompassDirection.allCases.map { .moves($0) } + [.staysStill, .grows, .shrinks, .rotates, .bounces]
    }
    /// The caption words, e.g. ["moves", "up-left"] or ["stays", "still"].
    public var words: [String] {
        switch self {
        case .moves(let d): ["moves", d.word]
        case .staysStill: ["stays", "still"]
        case .grows: ["grows"]
        case .shrinks: ["shrinks"]
        case .rotates: ["rotates"]
        case .bounces: ["bounces"]
        }
    }
    /// A short label for reports ("left", "static", "grows", …).
    public var label: String {
        switch self {
        case .moves(let d): d.word
        case .staysStill: "static"
        case .grows: "grows"
        case .shrinks: "shrinks"
        case .rotates: "rotates"
        case .bounces: "bounces"
        }
    }
    /// The net translation direction, or nil when the object does not travel (static, grows, shrinks,
    /// rotates, bounces in place).
    public var direction: CompassDirection? {
        if case .moves(let d) = self { return d }
        return nil
    }
    /// Whether the object changes from frame to frame (everything but `staysStill`).
    public var isDynamic: Bool { self != .staysStill }
}

/// Backgrounds. All are textured so they are not trivially flat; skies are vertical gradients.
public enum SceneKind: String, CaseIterable, Sendable, Hashable, Codable {
    case greyBackground, daySky, nightSky, greenGrass, desertSand, woodenFloor
    /// The caption words after "on".
    public var words: [String] {
        switch self {
        case .greyBackground: ["a", "grey", "background"]
        case .daySky: ["a", "day", "sky"]
        case .nightSky: ["a", "night", "sky"]
        case .greenGrass: ["green", "grass"]
        case .desertSand: ["desert", "sand"]
        case .woodenFloor: ["a", "wooden", "floor"]
        }
    }
    /// The label the scene classifier predicts and metrics compare with ("night sky", …).
    public var label: String {
        words.first == "a" ? words.dropFirst().joined(separator: " ") : words.joined(separator: " ")
    }
}

/// Directions a camera can pan. The background content moves the opposite way on screen.
public enum PanDirection: String, CaseIterable, Sendable, Hashable, Codable {
    case left, right, up, down
    public var word: String { rawValue }
    /// Unit vector of the camera's motion in image coordinates (y down).
    public var cameraVector: (dx: Float, dy: Float) {
        switch self {
        case .left: (-1, 0)
        case .right: (1, 0)
        case .up: (0, -1)
        case .down: (0, 1)
        }
    }
}
