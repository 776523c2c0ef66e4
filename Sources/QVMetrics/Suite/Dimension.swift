/// The eight VBench dimensions QVBench reports, named as in VBench, in the column order of the QVGen
/// paper's Table 1.
public enum Dimension: String, CaseIterable, Sendable, Hashable, Codable {
    case imagingQuality = "imaging_quality"
    case aestheticQuality = "aesthetic_quality"
    case motionSmoothness = "motion_smoothness"
    case dynamicDegree = "dynamic_degree"
    case backgroundConsistency = "background_consistency"
    case subjectConsistency = "subject_consistency"
    case scene
    case overallConsistency = "overall_consistency"

    /// Column title as in the paper.
    public var title: String {
        switch self {
        case .imagingQuality: "Imaging"
        case .aestheticQuality: "Aesthetic"
        case .motionSmoothness: "Motion smoothness"
        case .dynamicDegree: "Dynamic degree"
        case .backgroundConsistency: "Background cons."
        case .subjectConsistency: "Subject cons."
        case .scene: "Scene cons."
        case .overallConsistency: "Overall cons."
        }
    }

    /// VBench averages these over all frames of all videos (the others average per-video scores).
    public var isFrameWeighted: Bool {
        self == .subjectConsistency || self == .backgroundConsistency || self == .scene
    }

    /// Fewest frames the dimension can be measured on.
    public var minimumFrames: Int {
        switch self {
        case .imagingQuality, .aestheticQuality, .scene, .overallConsistency: 1
        case .subjectConsistency, .backgroundConsistency, .dynamicDegree: 2
        case .motionSmoothness: MotionSmoothness.minimumFrames
        }
    }
}
