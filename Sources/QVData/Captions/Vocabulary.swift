/// Every word a MotionShapes caption can contain, in a fixed order (function words, colours, shapes,
/// motion words, scene words, pan words). The closed-vocabulary tokenizer numbers words in this order.
public enum Vocabulary {
    /// Words of the grammar's skeleton.
    public static let functionWords = ["a", "an", "and", "on", "while", "the", "camera", "pans"]
    public static var colourWords: [String] { ColourName.allCases.map(\.word) }
    public static var shapeWords: [String] { ShapeKind.allCases.map(\.word) }
    /// "moves", "stays", "still", "grows", … and the eight compass words.
    public static var motionWords: [String] {
        unique(["moves"] + CompassDirection.allCases.map(\.word) + ["stays", "still", "grows", "shrinks",
                                                                     "rotates", "bounces"])
    }
    public static var sceneWords: [String] { unique(SceneKind.allCases.flatMap(\.words)) }
    public static var panWords: [String] { PanDirection.allCases.map(\.word) }

    /// All distinct words, first occurrence order.
    public static let words: [String] = unique(functionWords + colourWords + shapeWords + motionWords
                                               + sceneWords + panWords)

    private static func unique(_ w: [String]) -> [String] {
        var seen = Set<String>()
        return w.filter { seen.insert($0).inserted }
    }
}
