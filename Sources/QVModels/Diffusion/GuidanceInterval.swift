/// The timesteps (model units, 0…1000) at which the sampler applies classifier-free guidance; at the
/// others it uses the conditional prediction alone (guidance weight 1).
///
/// Guidance limited to part of the trajectory follows Kynkäänniemi et al. 2024 ("Applying guidance in a
/// limited interval improves sample and distribution quality in diffusion models"). They leave the
/// noisiest steps unguided; our small `cogx` teachers need guidance exactly there, where the layout and
/// the motion are decided, and lose the motion when it is applied at low noise, where it amplifies
/// frame-to-frame differences of the object's shape (reports/teachers). Not in DESIGN.md: a QVBench
/// addition, the `cogx` family's default (`DiTConfig.defaultGuidanceInterval`).
public struct GuidanceInterval: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Guidance applies at timesteps t with lowest ≤ t ≤ highest.
    public var lowest: Float
    public var highest: Float

    /// Guidance at every step (DESIGN.md's sampler).
    public static let everyStep = GuidanceInterval(lowest: 0, highest: 1000)

    public init(lowest: Float, highest: Float) {
        precondition(lowest <= highest, "GuidanceInterval: \(lowest) > \(highest)")
        self.lowest = lowest
        self.highest = highest
    }

    /// Parses "LO:HI" (timesteps, e.g. "700:1000") or "all"; nil for anything else.
    public init?(parsing text: String) {
        if text == "all" { self = .everyStep; return }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let lo = Float(parts[0]), let hi = Float(parts[1]),
              lo.isFinite, hi.isFinite, 0 <= lo, lo <= hi, hi <= 1000 else { return nil }
        self.init(lowest: lo, highest: hi)
    }

    public func contains(_ t: Float) -> Bool { lowest <= t && t <= highest }

    /// True when every sampler timestep is guided.
    public var coversEveryStep: Bool { lowest <= 0 && highest >= 1000 }

    /// "all", or "LO:HI" (the form `init(parsing:)` reads).
    public var description: String {
        coversEveryStep ? "all" : "\(Self.format(lowest)):\(Self.format(highest))"
    }

    /// "t >= 700", "t <= 300" or "300 <= t <= 700" (ASCII: contact-sheet titles use a bitmap font).
    public var range: String {
        if highest >= 1000 { return "t >= \(Self.format(lowest))" }
        if lowest <= 0 { return "t <= \(Self.format(highest))" }
        return "\(Self.format(lowest)) <= t <= \(Self.format(highest))"
    }

    /// "CFG 6.0" or "CFG 6.0 at t >= 700": guidance of this weight over this interval, as titles state it.
    public func label(weight: Float) -> String {
        coversEveryStep ? "CFG \(weight)" : "CFG \(weight) at \(range)"
    }

    private static func format(_ v: Float) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}
