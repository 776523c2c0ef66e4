/// A target frame size in pixels.
public struct FrameSize: Sendable, Equatable, Hashable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// How frames are resampled when the output size differs from the source.
public enum ResizeFilter: Sendable, Equatable {
    /// Area averaging: the right choice for downscaling (no aliasing).
    case area
    /// Bilinear interpolation: cheaper, fine for upscaling or mild changes.
    case bilinear
}

/// Where decoding starts.
public enum StartOffset: Sendable, Equatable {
    /// Skip this many decoded frames (0 = from the first frame).
    case frame(Int)
    /// Skip frames whose presentation time is before this many seconds from the stream start.
    case seconds(Double)
}

/// Options for `VideoDecoder.decode`. Frames are selected in this order: skip to `start`, then take every
/// `frameStride`-th frame, stop after `maxFrames` output frames, and resize each kept frame to `outputSize`.
public struct DecodeOptions: Sendable, Equatable {
    /// Stop after this many output frames (nil: decode the whole stream).
    public var maxFrames: Int?
    /// Keep every k-th frame after the start (1 = every frame). The clip's fps is divided by k.
    public var frameStride: Int
    /// Resize every frame to this size (nil: keep the source size).
    public var outputSize: FrameSize?
    public var resizeFilter: ResizeFilter
    /// Skip to this position first. Decoding always starts at the file's beginning and drops frames
    /// (exact for every format, costs decode time proportional to the offset).
    public var start: StartOffset
    /// Truncation policy. false (default): a file that ends early or has corrupt packets throws
    /// `MediaError.truncated` even if some frames decoded. true: those frames are returned, with
    /// `DecodedVideo.isTruncated` set and the problems listed in `warnings`.
    public var acceptTruncated: Bool
    /// Upper bound on the decoded pixel bytes; decoding throws `MediaError.tooLarge` beyond it.
    public var maxBytes: Int
    /// Wall-clock bound on opening plus decoding; past it decoding stops and the result counts as
    /// truncated (see `acceptTruncated`). A guard against pathological files, not a performance knob.
    public var timeoutSeconds: Double

    public init(maxFrames: Int? = nil, frameStride: Int = 1, outputSize: FrameSize? = nil,
                resizeFilter: ResizeFilter = .area, start: StartOffset = .frame(0),
                acceptTruncated: Bool = false, maxBytes: Int = 1 << 31,
                timeoutSeconds: Double = 600) {
        self.maxFrames = maxFrames
        self.frameStride = frameStride
        self.outputSize = outputSize
        self.resizeFilter = resizeFilter
        self.start = start
        self.acceptTruncated = acceptTruncated
        self.maxBytes = maxBytes
        self.timeoutSeconds = timeoutSeconds
    }

    /// Throws `MediaError.invalidArgument` for out-of-range values.
    func validate(path: String) throws {
        func bad(_ reason: String) -> MediaError { .invalidArgument(what: "decode options for \(path)", reason: reason) }
        if let m = maxFrames, m < 1 { throw bad("maxFrames must be at least 1 (got \(m))") }
        if !(timeoutSeconds > 0) { throw bad("timeoutSeconds must be positive (got \(timeoutSeconds))") }
        if maxBytes < 1 { throw bad("maxBytes must be positive (got \(maxBytes))") }
        if frameStride < 1 { throw bad("frameStride must be at least 1 (got \(frameStride))") }
        if let s = outputSize, s.width < 1 || s.height < 1 || s.width > 16384 || s.height > 16384 {
            throw bad("outputSize \(s.width)×\(s.height) must be within 1…16384 on each side")
        }
        switch start {
        case .frame(let f) where f < 0: throw bad("start frame must be ≥ 0 (got \(f))")
        case .seconds(let s) where !(s >= 0 && s.isFinite): throw bad("start seconds must be finite and ≥ 0 (got \(s))")
        default: break
        }
    }
}

/// The result of decoding: the clip plus what happened on the way.
public struct DecodedVideo: Sendable, Equatable {
    public var clip: VideoClip
    /// Codec of the source stream, e.g. "h264".
    public var codec: String
    /// The source frame size before any resize.
    public var sourceSize: FrameSize
    /// Frames the decoder produced (including those skipped by `start` and `frameStride`).
    public var framesDecoded: Int
    /// True when the stream ended early or had corrupt packets (only returned with `acceptTruncated`).
    public var isTruncated: Bool
    /// Human-readable notes: read errors, damaged packets, missing frame rate, …
    public var warnings: [String]
}
