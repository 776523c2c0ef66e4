import CFFmpeg
import Foundation

/// Small helpers shared by the decoder, the encoder and `probe`: error text, log verbosity, and an
/// owner for an opened input container.
enum FFmpegSupport {
    /// The text of an FFmpeg error code.
    static func errorText(_ code: Int32) -> String {
        var buf = [CChar](repeating: 0, count: 256)
        return buf.withUnsafeMutableBufferPointer { p in
            String(cString: qv_error_string(code, p.baseAddress, p.count))
        }
    }

    /// libav* print every damaged packet to stderr; this layer reports problems through `MediaError` and
    /// `DecodedVideo.warnings` instead, so the library log is lowered to fatal messages once, unless the
    /// environment variable `QVBENCH_FFMPEG_LOG=1` asks for the library's own diagnostics.
    /// A `static let` initialiser runs exactly once and is thread-safe, so no mutable global is needed.
    static let configureLogging: Void = {
        let verbose = ProcessInfo.processInfo.environment["QVBENCH_FFMPEG_LOG"] == "1"
        av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_FATAL)
    }()

    /// Seconds on the monotonic clock (for deadlines; immune to wall-clock changes).
    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// libavformat's interrupt callback: `opaque` points at a deadline in monotonic seconds; returning 1
    /// makes blocking reads give up with AVERROR_EXIT.
    static let interruptAtDeadline: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { opaque in
        guard let opaque else { return 0 }
        return FFmpegSupport.monotonicSeconds() > opaque.assumingMemoryBound(to: Double.self).pointee ? 1 : 0
    }

    /// A rational as a Double, or nil when it is 0/0, x/0 or non-positive.
    static func positive(_ q: AVRational) -> Double? {
        guard q.num > 0, q.den > 0 else { return nil }
        return Double(q.num) / Double(q.den)
    }
}

/// An opened input container with its best video stream located. Owns the AVFormatContext.
final class InputContainer {
    let path: String
    private(set) var format: UnsafeMutablePointer<AVFormatContext>?
    let videoStreamIndex: Int32
    /// Monotonic time after which libavformat's reads are interrupted (owned; read by the C callback).
    private let deadline: UnsafeMutablePointer<Double>
    let timeoutSeconds: Double

    /// Opens `path`, reads stream info and finds the video stream; throws `MediaError` naming the file.
    /// Reads are interrupted once `timeoutSeconds` have passed since opening (a bound on pathological files).
    init(path: String, timeoutSeconds: Double = 600) throws {
        _ = FFmpegSupport.configureLogging
        try AtomicFile.checkReadable(path)
        self.path = path
        self.timeoutSeconds = timeoutSeconds
        deadline = .allocate(capacity: 1)
        deadline.initialize(to: FFmpegSupport.monotonicSeconds() + timeoutSeconds)
        var ctx = avformat_alloc_context()
        guard let allocated = ctx else {
            deadline.deallocate()
            throw MediaError.unreadable(path: path, reason: "out of memory allocating the demuxer")
        }
        allocated.pointee.interrupt_callback = AVIOInterruptCB(callback: FFmpegSupport.interruptAtDeadline,
                                                               opaque: UnsafeMutableRawPointer(deadline))
        let openResult = avformat_open_input(&ctx, path, nil, nil)  // frees ctx on failure
        guard openResult >= 0, let opened = ctx else {
            deadline.deallocate()
            throw MediaError.unreadable(path: path, reason: FFmpegSupport.errorText(openResult))
        }
        format = opened
        let infoResult = avformat_find_stream_info(opened, nil)
        if infoResult < 0 {
            avformat_close_input(&format)
            deadline.deallocate()
            throw MediaError.unreadable(path: path, reason: "cannot read stream information: \(FFmpegSupport.errorText(infoResult))")
        }
        let best = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard best >= 0 else {
            avformat_close_input(&format)
            deadline.deallocate()
            throw MediaError.noVideoStream(path: path)
        }
        videoStreamIndex = best
        // Other streams (audio, subtitles) are skipped by the demuxer instead of being read and dropped.
        for i in 0..<Int(opened.pointee.nb_streams) where i != Int(best) {
            opened.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL
        }
    }

    deinit {
        avformat_close_input(&format)
        deadline.deallocate()
    }

    /// True once the read deadline has passed.
    var timedOut: Bool { FFmpegSupport.monotonicSeconds() > deadline.pointee }

    var stream: UnsafeMutablePointer<AVStream> { format!.pointee.streams[Int(videoStreamIndex)]! }
    var parameters: UnsafeMutablePointer<AVCodecParameters> { stream.pointee.codecpar }

    /// The stream's frame rate: average rate, else the container's guess, else nil.
    var framesPerSecond: Double? {
        FFmpegSupport.positive(stream.pointee.avg_frame_rate) ?? FFmpegSupport.positive(stream.pointee.r_frame_rate)
    }

    /// The stream duration in seconds from the stream header, else the container header, else nil.
    var durationSeconds: Double? {
        let s = stream.pointee
        if s.duration != qv_nopts_value(), s.duration > 0, let tb = FFmpegSupport.positive(s.time_base) {
            return Double(s.duration) * tb
        }
        let d = format!.pointee.duration
        if d != qv_nopts_value(), d > 0 { return Double(d) / Double(AV_TIME_BASE) }
        return nil
    }

    /// Frame count from the container index (exact) when it records one, else duration × fps (estimate).
    var frameCountEstimate: (count: Int, exact: Bool)? {
        let n = stream.pointee.nb_frames
        if n > 0 { return (Int(n), true) }
        if let d = durationSeconds, let fps = framesPerSecond { return (Int((d * fps).rounded()), false) }
        return nil
    }

    var codecName: String { String(cString: avcodec_get_name(parameters.pointee.codec_id)) }
}
