/// Why a caption does not follow the MotionShapes grammar.
public struct CaptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The caption as given.
    public var caption: String
    /// 1-based word position of the problem (one past the end when the caption stopped early).
    public var position: Int
    /// The offending word, or nil when the caption ended too early.
    public var word: String?
    /// The words that would have been accepted at that position.
    public var expected: [String]

    public var description: String {
        let what = word.map { "unknown or misplaced word '\($0)'" } ?? "caption ends early"
        return "caption \"\(caption)\": \(what) at word \(position); expected one of: "
            + expected.joined(separator: ", ")
            + ". Grammar: a <colour> <shape> <motion> [and a <colour> <shape> <motion>] on <scene> "
            + "[while the camera pans <direction>]. Vocabulary: " + Vocabulary.words.joined(separator: " ")
    }
}

/// Recursive-descent parser over the caption's words (see `Caption` for the grammar).
struct CaptionParser {
    let caption: String
    let tokens: [String]
    var index = 0

    init(text: String) {
        caption = text
        var t = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .map(String.init)
        if let last = t.last, last.hasSuffix(".") {
            let trimmed = String(last.dropLast())
            if trimmed.isEmpty { t.removeLast() } else { t[t.count - 1] = trimmed }
        }
        tokens = t
    }

    mutating func parseCaption() throws(CaptionError) -> Caption {
        let primary = try parseObject()
        var secondary: ObjectSpec?
        if peek == "and" {
            index += 1
            secondary = try parseObject()
        }
        try expect(["on"], allowed: secondary == nil ? ["and", "on"] : ["on"])
        let scene = try parseScene()
        var pan: PanDirection?
        if index < tokens.count {
            try expect(["while", "the", "camera", "pans"], allowed: ["while"])
            pan = try choose(PanDirection.allCases, word: \.word)
        }
        if index < tokens.count { throw error(expected: ["<end of caption>"]) }
        return Caption(primary: primary, secondary: secondary, scene: scene, pan: pan)
    }

    private var peek: String? { index < tokens.count ? tokens[index] : nil }

    private func error(expected: [String]) -> CaptionError {
        CaptionError(caption: caption, position: index + 1, word: peek, expected: expected)
    }

    /// Consumes the exact word sequence; `allowed` lists what the first word could have been.
    private mutating func expect(_ words: [String], allowed: [String]) throws(CaptionError) {
        for (k, w) in words.enumerated() {
            guard peek == w else { throw error(expected: k == 0 ? allowed : [w]) }
            index += 1
        }
    }

    private mutating func choose<T>(_ options: [T], word: (T) -> String) throws(CaptionError) -> T {
        if let p = peek, let hit = options.first(where: { word($0) == p }) {
            index += 1
            return hit
        }
        throw error(expected: options.map(word))
    }

    private mutating func parseObject() throws(CaptionError) -> ObjectSpec {
        guard peek == "a" || peek == "an" else { throw error(expected: ["a", "an"]) }
        index += 1
        let colour = try choose(ColourName.allCases, word: \.word)
        let shape = try choose(ShapeKind.allCases, word: \.word)
        let motion = try parseMotion()
        return ObjectSpec(colour: colour, shape: shape, motion: motion)
    }

    private mutating func parseMotion() throws(CaptionError) -> MotionKind {
        let heads = ["moves", "stays", "grows", "shrinks", "rotates", "bounces"]
        switch peek {
        case "moves":
            index += 1
            return .moves(try choose(CompassDirection.allCases, word: \.word))
        case "stays":
            index += 1
            try expect(["still"], allowed: ["still"])
            return .staysStill
        case "grows": index += 1; return .grows
        case "shrinks": index += 1; return .shrinks
        case "rotates": index += 1; return .rotates
        case "bounces": index += 1; return .bounces
        default: throw error(expected: heads)
        }
    }

    /// Scenes are multi-word phrases; the longest phrase matching at the current position wins.
    private mutating func parseScene() throws(CaptionError) -> SceneKind {
        let start = index
        var best: SceneKind?
        for scene in SceneKind.allCases {
            let w = scene.words
            if start + w.count <= tokens.count, Array(tokens[start..<(start + w.count)]) == w,
               w.count > (best?.words.count ?? 0) {
                best = scene
            }
        }
        guard let scene = best else {
            // Report the first word where no scene phrase fits any more.
            var k = 0
            var candidates = SceneKind.allCases.map(\.words)
            while let p = start + k < tokens.count ? tokens[start + k] : nil,
                  candidates.contains(where: { $0.count > k && $0[k] == p }) {
                candidates = candidates.filter { $0.count > k && $0[k] == p }
                k += 1
            }
            index = start + k
            let allowed = Set(candidates.compactMap { $0.count > k ? $0[k] : nil })
            throw error(expected: allowed.sorted())
        }
        index += scene.words.count
        return scene
    }
}
