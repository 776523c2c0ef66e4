import CFFmpeg

/// Decodes any video libavformat/libavcodec can read (mp4, mkv, webm, avi, gif, …) to a `VideoClip`
/// through the send/receive API and swscale. Every loop is bounded (packets, errors, frames, bytes), so
/// damaged input ends in a thrown `MediaError` that names the file, never a crash or a hang.
public enum VideoDecoder {
    /// Decodes `path` and returns only the clip (truncation policy as in `options.acceptTruncated`).
    public static func decodeClip(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> VideoClip {
        try decode(path, options: options).clip
    }

    /// Decodes `path` with the frame selection and resize of `options`.
    public static func decode(_ path: String, options: DecodeOptions = DecodeOptions()) throws -> DecodedVideo {
        try options.validate(path: path)
        let session = try DecoderSession(input: InputContainer(path: path, timeoutSeconds: options.timeoutSeconds), options: options)
        return try session.run()
    }
}

/// One decode: owns the codec context, packet, frames and scaler; frees them on deinit.
private final class DecoderSession {
    /// Bounds that keep a corrupt file from spinning forever.
    static let maxPackets = 20_000_000
    static let maxDecodeErrors = 64

    let input: InputContainer
    let options: DecodeOptions
    let path: String
    var codec: UnsafeMutablePointer<AVCodecContext>?
    var packet: UnsafeMutablePointer<AVPacket>?
    var frame: UnsafeMutablePointer<AVFrame>?
    var rgb: UnsafeMutablePointer<AVFrame>?
    var scaler: OpaquePointer?
    var scalerKey: (w: Int32, h: Int32, fmt: Int32) = (0, 0, -1)

    var fps: Double
    var outSize: FrameSize?
    var pixels: [UInt8] = []
    var kept = 0
    var decoded = 0
    var firstKeptIndex: Int?
    var decodeErrors = 0
    var warnings: [String] = []
    var done = false

    init(input: InputContainer, options: DecodeOptions) throws {
        self.input = input
        self.options = options
        self.path = input.path
        self.outSize = options.outputSize
        let par = input.parameters
        guard let decoder = avcodec_find_decoder(par.pointee.codec_id) else {
            throw MediaError.unsupportedCodec(path: path, codec: input.codecName)
        }
        if let rate = input.framesPerSecond {
            fps = rate
        } else {
            fps = 25
            warnings.append("no frame rate in the file; assuming 25 fps")
        }
        codec = avcodec_alloc_context3(decoder)
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        rgb = av_frame_alloc()
        guard let codec, packet != nil, frame != nil, rgb != nil else {
            throw MediaError.unreadable(path: path, reason: "out of memory allocating the decoder")
        }
        var r = avcodec_parameters_to_context(codec, par)
        if r >= 0 { r = avcodec_open2(codec, decoder, nil) }
        guard r >= 0 else {
            throw MediaError.unreadable(path: path, reason: "cannot open the \(input.codecName) decoder: \(FFmpegSupport.errorText(r))")
        }
    }

    deinit {
        sws_freeContext(scaler)
        av_frame_free(&rgb)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
    }

    func run() throws -> DecodedVideo {
        var readProblem: String?
        var packets = 0
        while !done {
            if packets >= Self.maxPackets { readProblem = "more than \(Self.maxPackets) packets"; break }
            if input.timedOut { readProblem = "stopped after the \(input.timeoutSeconds) s timeout"; break }
            packets += 1
            let r = av_read_frame(input.format, packet)
            if r == qv_averror_eof() { break }
            if r < 0 && input.timedOut { readProblem = "stopped after the \(input.timeoutSeconds) s timeout"; break }
            if r < 0 { readProblem = "read error after \(decoded) frames: \(FFmpegSupport.errorText(r))"; break }
            defer { av_packet_unref(packet) }
            guard packet!.pointee.stream_index == input.videoStreamIndex else { continue }
            let s = avcodec_send_packet(codec, packet)
            if s < 0 && s != qv_averror_eagain() {
                noteDecodeError("damaged packet: \(FFmpegSupport.errorText(s))")
            } else {
                try drain()
            }
            if decodeErrors >= Self.maxDecodeErrors { readProblem = "gave up after \(decodeErrors) decode errors"; break }
        }
        if !done {
            avcodec_send_packet(codec, nil)  // flush: frames held back for reordering come out now
            try drain()
        }
        return try finish(readProblem: readProblem)
    }

    private func noteDecodeError(_ message: String) {
        decodeErrors += 1
        if warnings.count < 16 { warnings.append(message) }
    }

    /// Receives every frame the decoder has ready; bounded by the decoder's queue (and a hard cap).
    private func drain() throws {
        for _ in 0..<100_000 {
            let r = avcodec_receive_frame(codec, frame)
            if r == qv_averror_eagain() || r == qv_averror_eof() { return }
            if r < 0 { noteDecodeError("decode error: \(FFmpegSupport.errorText(r))"); return }
            defer { av_frame_unref(frame) }
            if !done { try accept(frame!) }
        }
    }

    /// Applies start/stride/max selection to one decoded frame and converts it if kept.
    private func accept(_ f: UnsafeMutablePointer<AVFrame>) throws {
        let index = decoded
        decoded += 1
        switch options.start {
        case .frame(let first): if index < first { return }
        case .seconds(let t): if time(of: f, index: index) < t - 1e-6 { return }
        }
        let first = firstKeptIndex ?? index
        firstKeptIndex = first
        guard (index - first) % options.frameStride == 0 else { return }
        try convert(f)
        kept += 1
        if let m = options.maxFrames, kept >= m { done = true }
    }

    /// Presentation time in seconds from the stream start (frame index / fps when untimed).
    private func time(of f: UnsafeMutablePointer<AVFrame>, index: Int) -> Double {
        let ts = f.pointee.best_effort_timestamp
        let st = input.stream.pointee
        guard ts != qv_nopts_value(), let tb = FFmpegSupport.positive(st.time_base) else { return Double(index) / fps }
        let origin = st.start_time == qv_nopts_value() ? 0 : st.start_time
        return Double(ts - origin) * tb
    }

    /// Converts a decoded frame to RGB24 at the output size and appends it to `pixels`.
    private func convert(_ f: UnsafeMutablePointer<AVFrame>) throws {
        let w = f.pointee.width, h = f.pointee.height, fmt = f.pointee.format
        guard w > 0, h > 0 else { throw MediaError.noFrames(path: path, reason: "decoder returned a \(w)×\(h) frame") }
        let size = outSize ?? FrameSize(width: Int(w), height: Int(h))
        outSize = size
        let frameBytes = size.width * size.height * 3
        if (kept + 1) * frameBytes > options.maxBytes {
            throw MediaError.tooLarge(path: path, reason:
                "decoding more than \(kept) frames of \(size.width)×\(size.height) exceeds maxBytes = \(options.maxBytes); lower maxFrames or outputSize")
        }
        if scaler == nil || scalerKey != (w, h, fmt) {
            try makeScaler(from: f, to: size)
        }
        let dst = rgb!
        av_frame_unref(dst)
        let r = sws_scale_frame(scaler, dst, f)
        guard r >= 0 else {
            throw MediaError.unreadable(path: path, reason: "pixel conversion failed: \(FFmpegSupport.errorText(r))")
        }
        let rowBytes = size.width * 3, stride = Int(qv_frame_linesize(dst, 0))
        guard let plane = qv_frame_plane(dst, 0) else {
            throw MediaError.unreadable(path: path, reason: "pixel conversion produced no data")
        }
        if pixels.isEmpty {
            let expected = min(options.maxFrames ?? Int.max, max(1, input.frameCountEstimate?.count ?? 1))
            pixels.reserveCapacity(min(expected, options.maxBytes / frameBytes) * frameBytes)
        }
        // Row by row (the plane's rows may be padded); appending a buffer pointer is a plain memcpy.
        for y in 0..<size.height {
            pixels.append(contentsOf: UnsafeBufferPointer(start: plane + y * stride, count: rowBytes))
        }
    }

    private func makeScaler(from f: UnsafeMutablePointer<AVFrame>, to size: FrameSize) throws {
        let w = f.pointee.width, h = f.pointee.height, fmt = f.pointee.format
        sws_freeContext(scaler)
        // At the source size the filter only upsamples chroma, where bicubic is closest to the reference
        // decoders; when resizing, the requested filter applies. (SWS_FULL_CHR_H_INT is left out: it made
        // 10-bit 4:2:0 sources markedly less accurate in this swscale.)
        let sameSize = Int(w) == size.width && Int(h) == size.height
        let filter: Int32 = sameSize ? SWS_BICUBIC : options.resizeFilter == .area ? SWS_AREA : SWS_BILINEAR
        scaler = sws_getContext(w, h, AVPixelFormat(fmt), Int32(size.width), Int32(size.height), AV_PIX_FMT_RGB24,
                                filter | SWS_ACCURATE_RND, nil, nil, nil)
        guard scaler != nil else {
            let name = av_get_pix_fmt_name(AVPixelFormat(fmt)).map { String(cString: $0) } ?? "format \(fmt)"
            throw MediaError.unsupportedCodec(path: path, codec: "\(input.codecName) with pixel format \(name)")
        }
        scalerKey = (w, h, fmt)
        // YUV sources: honour the stream's matrix (BT.709 vs 601) and range; RGB sources ignore this.
        let space = f.pointee.colorspace.rawValue
        let known: Set<UInt32> = [1, 4, 5, 6, 7, 9]
        let coefficients = sws_getCoefficients(Int32(known.contains(space) ? space : UInt32(SWS_CS_DEFAULT)))
        let fullRange: Int32 = f.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        sws_setColorspaceDetails(scaler, coefficients, fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    }

    /// Decides between a clean result, a truncated result and an error.
    private func finish(readProblem: String?) throws -> DecodedVideo {
        var problems: [String] = []
        if let readProblem { problems.append(readProblem) }
        if decodeErrors > 0 { problems.append("\(decodeErrors) damaged packet(s) or decode error(s)") }
        if !done, let expected = input.frameCountEstimate {
            // The container promised more frames than the stream delivered: the data is cut off. (Decoding
            // always runs from the first frame, so `decoded` counts the whole stream whatever the start.)
            let slack = expected.exact ? 0 : max(2, expected.count / 10)
            if decoded < expected.count - slack {
                problems.append("container announces \(expected.exact ? "" : "about ")\(expected.count) frames, only \(decoded) decoded")
            }
        }
        guard kept > 0, let size = outSize else {
            if decoded > 0 {
                let start: String
                switch options.start {
                case .frame(let f): start = "frame \(f)"
                case .seconds(let t): start = "\(t) s"
                }
                throw MediaError.noFrames(path: path, reason: "the start offset (\(start)) is past the last of \(decoded) frames")
            }
            throw MediaError.noFrames(path: path, reason: problems.isEmpty ? "the stream is empty" : problems.joined(separator: "; "))
        }
        if !problems.isEmpty && !options.acceptTruncated {
            throw MediaError.truncated(path: path, framesDecoded: decoded, reason: problems.joined(separator: "; "))
        }
        let clip = VideoClip(frameCount: kept, height: size.height, width: size.width,
                             fps: fps / Double(options.frameStride), pixels: pixels)
        let par = input.parameters.pointee
        return DecodedVideo(clip: clip, codec: input.codecName,
                            sourceSize: FrameSize(width: Int(par.width), height: Int(par.height)),
                            framesDecoded: decoded, isTruncated: !problems.isEmpty,
                            warnings: warnings + problems)
    }
}
