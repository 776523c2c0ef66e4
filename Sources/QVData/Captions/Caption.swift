/// One captioned object: "a <colour> <shape> <motion>" ("an" before "orange").
public struct ObjectSpec: Sendable, Hashable, Codable {
    public var colour: ColourName
    public var shape: ShapeKind
    public var motion: MotionKind
    public init(colour: ColourName, shape: ShapeKind, motion: MotionKind) {
        self.colour = colour; self.shape = shape; self.motion = motion
    }
    /// The phrase words, e.g. ["a", "red", "circle", "moves", "left"].
    public var words: [String] { [colour.article, colour.word, shape.word] + motion.words }
}

/// Another name for `Caption`: the attributes a MotionShapes clip is rendered from.
public typealias ClipAttributes = Caption

/// The attributes of a MotionShapes clip, i.e. a parsed caption.
///
/// Grammar (closed vocabulary, lower case, single spaces; the article is "an" before "orange"):
/// `a <colour> <shape> <motion> [and a <colour> <shape> <motion>] on <scene> [while the camera pans <dir>]`,
/// e.g. "a red circle moves left on a night sky" or
/// "a blue square grows and a white cross stays still on green grass while the camera pans right".
public struct Caption: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The main object.
    public var primary: ObjectSpec
    /// The optional second object (drawn on top of the first).
    public var secondary: ObjectSpec?
    public var scene: SceneKind
    /// Optional camera pan: moves the background only; object motions are on-screen motions.
    public var pan: PanDirection?

    public init(primary: ObjectSpec, secondary: ObjectSpec? = nil, scene: SceneKind, pan: PanDirection? = nil) {
        self.primary = primary; self.secondary = secondary; self.scene = scene; self.pan = pan
    }

    /// The objects in drawing order.
    public var objects: [ObjectSpec] { secondary.map { [primary, $0] } ?? [primary] }

    /// The caption's words in order.
    public var words: [String] {
        var w = primary.words
        if let s = secondary { w += ["and"] + s.words }
        w += ["on"] + scene.words
        if let p = pan { w += ["while", "the", "camera", "pans", p.word] }
        return w
    }

    /// The canonical caption text; `Caption.parse(c.render()) == c` for every caption.
    public func render() -> String { words.joined(separator: " ") }
    public var description: String { render() }

    /// Whether every attribute can be checked on rendered frames (false only for a rotating circle).
    public var isCheckable: Bool {
        objects.allSatisfy { $0.motion != .rotates || $0.shape.showsRotation }
    }

    /// Parses a caption strictly: case, surrounding/duplicate whitespace, one trailing period and
    /// "a"/"an" mix-ups are forgiven, any other deviation from the grammar throws a `CaptionError` naming the word, its
    /// position and the words allowed there.
    public static func parse(_ text: String) throws(CaptionError) -> Caption {
        var parser = CaptionParser(text: text)
        return try parser.parseCaption()
    }
}
