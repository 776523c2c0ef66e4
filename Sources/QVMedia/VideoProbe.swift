import CFFmpeg

/// What a video file holds, read from its headers without decoding frames.
public struct VideoProbe: Sendable, Equatable {
    public var path: String
    /// Container format short name(s), e.g. "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2".
    public var container: String
    /// Video codec name, e.g. "h264", "vp9", "gif".
    public var codec: String
    public var width: Int
    public var height: Int
    /// Frames per second (average rate; 0 when the file states none).
    public var fps: Double
    /// Duration in seconds, when the headers give one.
    public var durationSeconds: Double?
    /// Frame count: exact when the container indexes frames (`frameCountIsExact`), else duration × fps.
    public var frameCountEstimate: Int?
    public var frameCountIsExact: Bool
}

extension VideoProbe {
    /// Reads the headers of `path` (cheap: no frame is decoded). Throws `MediaError` for missing, empty,
    /// unreadable or video-less files.
    public static func probe(_ path: String) throws -> VideoProbe {
        let input = try InputContainer(path: path)
        let par = input.parameters.pointee
        guard par.width > 0, par.height > 0 else {
            throw MediaError.unreadable(path: path, reason: "video stream has no frame size in its headers")
        }
        let estimate = input.frameCountEstimate
        return VideoProbe(
            path: path,
            container: String(cString: input.format!.pointee.iformat.pointee.name),
            codec: input.codecName, width: Int(par.width), height: Int(par.height),
            fps: input.framesPerSecond ?? 0, durationSeconds: input.durationSeconds,
            frameCountEstimate: estimate?.count, frameCountIsExact: estimate?.exact ?? false)
    }
}
