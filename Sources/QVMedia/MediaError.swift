/// Every failure of the media layer: each case names the file (or the input) and the problem, so a
/// harness that decodes hundreds of imported clips can report and skip the bad ones by name.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist (or is not a regular file).
    case fileNotFound(path: String)
    /// The file exists but has zero bytes.
    case emptyFile(path: String)
    /// The container could not be opened or parsed (random bytes, unknown format, missing index, …).
    case unreadable(path: String, reason: String)
    /// The container holds no video stream (e.g. audio only).
    case noVideoStream(path: String)
    /// The video stream's codec has no decoder (or encoder) in this libavcodec.
    case unsupportedCodec(path: String, codec: String)
    /// The video stream is present but not one frame could be decoded.
    case noFrames(path: String, reason: String)
    /// Decoding stopped early because the data is cut off or corrupt (see `DecodeOptions.acceptTruncated`).
    case truncated(path: String, framesDecoded: Int, reason: String)
    /// Decoding would exceed the configured memory bound; lower `maxFrames` or the output size.
    case tooLarge(path: String, reason: String)
    /// An encoder or muxer call failed while writing.
    case writeFailed(path: String, reason: String)
    /// A caller-supplied argument is invalid (empty clip, bad size, bad option).
    case invalidArgument(what: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path): return "\(path): file not found"
        case .emptyFile(let path): return "\(path): file is empty (0 bytes)"
        case .unreadable(let path, let reason): return "\(path): cannot read as media: \(reason)"
        case .noVideoStream(let path): return "\(path): no video stream (audio-only or data file?)"
        case .unsupportedCodec(let path, let codec): return "\(path): codec '\(codec)' is not available in this libavcodec"
        case .noFrames(let path, let reason): return "\(path): video stream has no decodable frames: \(reason)"
        case .truncated(let path, let n, let reason):
            return "\(path): truncated or corrupt after \(n) decoded frame(s): \(reason) " +
                "(pass acceptTruncated: true to keep the frames that decoded)"
        case .tooLarge(let path, let reason): return "\(path): \(reason)"
        case .writeFailed(let path, let reason): return "\(path): write failed: \(reason)"
        case .invalidArgument(let what, let reason): return "\(what): \(reason)"
        }
    }

    /// The file the error is about, if any.
    public var path: String? {
        switch self {
        case .fileNotFound(let p), .emptyFile(let p), .noVideoStream(let p): return p
        case .unreadable(let p, _), .unsupportedCodec(let p, _), .noFrames(let p, _), .truncated(let p, _, _),
             .tooLarge(let p, _), .writeFailed(let p, _): return p
        case .invalidArgument: return nil
        }
    }
}
