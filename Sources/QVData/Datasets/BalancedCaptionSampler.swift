import QVTensor

/// Draws lists of captions in which every word of each attribute appears equally often (±1): each
/// attribute column is a cyclic repetition of its values, shuffled independently with a seeded
/// generator. Balanced columns guarantee vocabulary coverage and keep a small model from seeing some
/// words far more often than others.
struct BalancedCaptionSampler {
    /// Fraction of captions with a second object.
    var secondObjectFraction: Double
    /// Fraction of captions with a camera pan.
    var panFraction: Double

    func sample(count: Int, generator g: inout SeededGenerator, excluding excluded: Set<Caption> = [])
        throws(MotionShapesError) -> [Caption] {
        guard count >= 0 else { throw .badArgument("caption count must be ≥ 0, got \(count)") }
        if count == 0 { return [] }
        let colours = balanced(ColourName.allCases, count, &g)
        var shapes = balanced(ShapeKind.allCases, count, &g)
        let motions = balanced(MotionKind.allCases, count, &g)
        let scenes = balanced(SceneKind.allCases, count, &g)
        // A rotating circle cannot be checked: trade its shape with an entry that does not rotate.
        for i in 0..<count where shapes[i] == .circle && motions[i] == .rotates {
            if let j = (0..<count).first(where: { shapes[$0] != .circle && motions[$0] != .rotates }) {
                shapes.swapAt(i, j)
            } else {
                shapes[i] = .square
            }
        }
        var order = Array(0..<count)
        g.shuffle(&order)
        let seconds = Set(order.prefix(Int((Double(count) * secondObjectFraction).rounded())))
        g.shuffle(&order)
        let pans = Set(order.prefix(Int((Double(count) * panFraction).rounded())))

        var captions: [Caption] = []
        captions.reserveCapacity(count)
        for i in 0..<count {
            var caption = Caption(primary: ObjectSpec(colour: colours[i], shape: shapes[i], motion: motions[i]),
                                  scene: scenes[i])
            if seconds.contains(i) { caption.secondary = randomObject(avoiding: colours[i], &g) }
            if pans.contains(i) { caption.pan = g.pick(PanDirection.allCases) }
            var tries = 0
            while excluded.contains(caption) {
                // Re-draw the main object's colour and shape; the caption space is far larger than
                // any excluded set, so this ends quickly.
                tries += 1
                guard tries <= 1000 else {
                    throw .badArgument("could not draw a caption outside the excluded set after 1000 tries")
                }
                caption.primary.colour = g.pick(ColourName.allCases.filter { $0 != caption.secondary?.colour })
                caption.primary.shape = g.pick(ShapeKind.allCases.filter {
                    $0.showsRotation || caption.primary.motion != .rotates
                })
            }
            captions.append(caption)
        }
        return captions
    }

    /// A random object whose colour differs from `colour` (so each object's colour can be checked).
    private func randomObject(avoiding colour: ColourName, _ g: inout SeededGenerator) -> ObjectSpec {
        let c = g.pick(ColourName.allCases.filter { $0 != colour })
        let m = g.pick(MotionKind.allCases)
        let shapes = ShapeKind.allCases.filter { $0.showsRotation || m != .rotates }
        return ObjectSpec(colour: c, shape: g.pick(shapes), motion: m)
    }

    private func balanced<T>(_ values: [T], _ count: Int, _ g: inout SeededGenerator) -> [T] {
        var column = (0..<count).map { values[$0 % values.count] }
        g.shuffle(&column)
        return column
    }
}
