import QVMedia
import QVTensor

/// One item of a MotionShapes data set.
public struct MotionShapesExample: Sendable {
    public var index: Int
    public var caption: Caption
    /// The caption text (`caption.render()`).
    public var text: String
    /// Token ids from the data set's tokenizer, padded to its `maxLength`.
    public var tokenIds: [Int32]
    public var clip: VideoClip
    public var truth: ClipGroundTruth
    /// For evaluation items: the prompt's position in the suite and the sample number (0..<5).
    public var promptIndex: Int?
    public var sampleIndex: Int?
}

/// A deterministic, indexable set of captioned MotionShapes clips. Clips are rendered on demand (a
/// 32×32×8 clip took about 1.4 ms in a release build on the 2-core dev machine), so a set costs no
/// memory; a trainer that revisits clips often may cache them.
public struct MotionShapesDataset: Sendable {
    public enum Split: String, Sendable, Codable { case train, evaluation }

    /// What item i is made from.
    public struct Entry: Sendable, Hashable {
        public var caption: Caption
        public var clipSeed: UInt64
        public var promptIndex: Int?
        public var sampleIndex: Int?
    }

    public let split: Split
    public let seed: UInt64
    public let entries: [Entry]
    public let renderer: MotionShapesRenderer
    public let tokenizer: CaptionTokenizer

    public var count: Int { entries.count }
    public var settings: RenderSettings { renderer.settings }

    /// `count` training clips for a data-set seed (balanced captions, none from the evaluation suite).
    public static func training(count: Int, seed: UInt64, settings: RenderSettings = RenderSettings(),
                                tokenizer: CaptionTokenizer? = nil,
                                secondObjectFraction: Double = MotionShapesPrompts.defaultSecondObjectFraction) throws -> MotionShapesDataset {
        let captions = try MotionShapesPrompts.trainingCaptions(count: count, seed: seed, secondObjectFraction: secondObjectFraction)
        let entries = captions.enumerated().map { i, c in
            var g = SeededGenerator(seed: seed, stream: "motionshapes.train.clip.\(i)")
            return Entry(caption: c, clipSeed: g.next())
        }
        return try MotionShapesDataset(split: .train, seed: seed, entries: entries, settings: settings,
                                       tokenizer: tokenizer ?? CaptionTokenizer())
    }

    /// The evaluation suite: every prompt × its seeds (48 × 5 = 240 items), prompt-major, optionally
    /// limited to the first `promptCount` prompts and `samplesPerPrompt` seeds.
    public static func evaluation(settings: RenderSettings = RenderSettings(),
                                  promptCount: Int = MotionShapesPrompts.evaluationPromptCount,
                                  samplesPerPrompt: Int = MotionShapesPrompts.samplesPerPrompt,
                                  tokenizer: CaptionTokenizer? = nil) throws -> MotionShapesDataset {
        let suite = MotionShapesPrompts.evaluationSuite
        guard (1...suite.count).contains(promptCount),
              (1...MotionShapesPrompts.samplesPerPrompt).contains(samplesPerPrompt) else {
            throw MotionShapesError.badArgument("evaluation set: promptCount must be 1…\(suite.count) and "
                + "samplesPerPrompt 1…\(MotionShapesPrompts.samplesPerPrompt), got \(promptCount), \(samplesPerPrompt)")
        }
        var entries: [Entry] = []
        for (p, prompt) in suite.prefix(promptCount).enumerated() {
            for s in 0..<samplesPerPrompt {
                entries.append(Entry(caption: prompt.caption, clipSeed: prompt.seeds[s], promptIndex: p, sampleIndex: s))
            }
        }
        return try MotionShapesDataset(split: .evaluation, seed: MotionShapesPrompts.evaluationSeed,
                                       entries: entries, settings: settings,
                                       tokenizer: tokenizer ?? CaptionTokenizer())
    }

    init(split: Split, seed: UInt64, entries: [Entry], settings: RenderSettings, tokenizer: CaptionTokenizer) throws {
        self.split = split
        self.seed = seed
        self.entries = entries
        self.renderer = try MotionShapesRenderer(settings: settings)
        self.tokenizer = tokenizer
    }

    /// Item `index`: caption, token ids and the rendered clip with ground truth.
    public func example(_ index: Int) throws -> MotionShapesExample {
        guard entries.indices.contains(index) else {
            throw MotionShapesError.indexOutOfRange(index: index, count: count, what: "MotionShapes \(split.rawValue) set")
        }
        let e = entries[index]
        let text = e.caption.render()
        let rendered = renderer.render(e.caption, seed: e.clipSeed)
        return MotionShapesExample(index: index, caption: e.caption, text: text, tokenIds: try tokenizer.encode(text),
                                   clip: rendered.clip, truth: rendered.truth,
                                   promptIndex: e.promptIndex, sampleIndex: e.sampleIndex)
    }

    /// The items at `indices`, in that order.
    public func batch(_ indices: [Int]) throws -> [MotionShapesExample] {
        try indices.map { try example($0) }
    }

    /// A seeded permutation of all indices for `epoch`, cut into batches of `batchSize` (the last batch
    /// is shorter unless `dropLast`). The same (data-set seed, epoch) always gives the same order.
    public func batchOrder(epoch: Int, batchSize: Int, dropLast: Bool = false) throws -> [[Int]] {
        guard batchSize >= 1 else { throw MotionShapesError.badArgument("batch size must be ≥ 1, got \(batchSize)") }
        var order = Array(0..<count)
        var g = SeededGenerator(seed: seed, stream: "motionshapes.\(split.rawValue).epoch.\(epoch)")
        g.shuffle(&order)
        var batches: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            if end - start == batchSize || !dropLast { batches.append(Array(order[start..<end])) }
            start = end
        }
        return batches
    }
}
