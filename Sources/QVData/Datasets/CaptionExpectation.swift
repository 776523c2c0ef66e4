/// What a metric can check about one captioned object on generated frames.
public struct ObjectExpectation: Sendable, Hashable {
    public var colour: ColourName
    /// The caption colour's exact RGB (the renderer adds at most ±8 per channel of shade jitter).
    public var rgb: RGB
    public var shape: ShapeKind
    public var motion: MotionKind
    /// Compass label of the translation ("left", "up-right", …) or nil when the object does not travel.
    public var direction: CompassDirection?
    /// Unit vector of the translation in image coordinates (y down), or nil when it does not travel.
    public var directionVector: (dx: Float, dy: Float)? { direction?.unitVector }
    /// Whether the object should change over the clip (all motions but "stays still").
    public var isDynamic: Bool { motion.isDynamic }
}

/// The attribute checks implied by a caption (DESIGN.md §8, overall and scene consistency).
public struct CaptionExpectation: Sendable, Hashable {
    public var caption: Caption
    public var objects: [ObjectExpectation]
    /// The expected scene label (the scene classifier's class, e.g. "night sky").
    public var sceneLabel: String
    public var cameraPan: PanDirection?
    /// Whether the clip should show motion at all (a dynamic object or a camera pan).
    public var isDynamic: Bool { cameraPan != nil || objects.contains(where: \.isDynamic) }

    /// The colour palette to classify a measured colour against (nearest RGB wins).
    public static var palette: [(name: ColourName, rgb: RGB)] { ColourName.palette }
    /// Every scene label, in `SceneKind` order (the scene classifier's classes).
    public static var sceneLabels: [String] { SceneKind.allCases.map(\.label) }

    /// The palette colour nearest to a measured RGB.
    public static func nearestColour(to rgb: RGB) -> ColourName {
        palette.min(by: { $0.rgb.distance(to: rgb) < $1.rgb.distance(to: rgb) })!.name
    }

    public init(_ caption: Caption) {
        self.caption = caption
        objects = caption.objects.map {
            ObjectExpectation(colour: $0.colour, rgb: $0.colour.rgb, shape: $0.shape, motion: $0.motion,
                              direction: $0.motion.direction)
        }
        sceneLabel = caption.scene.label
        cameraPan = caption.pan
    }

    public static func == (a: CaptionExpectation, b: CaptionExpectation) -> Bool { a.caption == b.caption }
    public func hash(into h: inout Hasher) { h.combine(caption) }
}

extension Caption {
    /// What a metric can check about a clip generated for this caption.
    public var expectation: CaptionExpectation { CaptionExpectation(self) }
}
