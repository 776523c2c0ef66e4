import Foundation
import QVData
import QVMedia

/// `qvbench data import DIR --captions captions.csv`: real clips (OpenVid layout: a folder of videos
/// and a `video,caption` CSV) decoded through libav, sampled to the model's frame count, resized to its
/// frame size and stored as a training shard. Unreadable or truncated files are named and skipped;
/// captions with words outside the closed vocabulary are an error listing it, unless the vocabulary
/// is extended.
public struct ClipImport {
    public var directory: String
    public var captionsPath: String
    public var frames: Int
    public var size: Int
    public var extendVocabulary: Bool

    public init(directory: String, captionsPath: String, frames: Int = 8, size: Int = 32, extendVocabulary: Bool = false) {
        self.directory = directory
        self.captionsPath = captionsPath
        self.frames = frames
        self.size = size
        self.extendVocabulary = extendVocabulary
    }

    public struct Outcome: Sendable {
        public var imported: Int
        public var skipped: [(file: String, reason: String)]
        public var newWords: [String]
        public var shardPath: String
    }

    public func run(output: String, warn: (String) -> Void) throws -> Outcome {
        let table = try VideoCaptionCSV.read(path: captionsPath)
        for e in table.errors { warn("\(captionsPath):\(e.line): \(e.message) (row skipped)") }
        let base = try CaptionTokenizer()
        let unknown = Set(table.rows.flatMap { CaptionTokenizer.words(in: $0.caption) }.filter { base.id(of: $0) == nil }).sorted()
        if !unknown.isEmpty && !extendVocabulary {
            throw HarnessError.invalid("captions use words outside the closed vocabulary: \(unknown.joined(separator: ", ")).\nKnown words: \(base.tokens.dropFirst(3).joined(separator: " "))\nPass --extend-vocab to add them (a teacher must then be trained with the extended vocabulary).")
        }
        var shard = try TrainingShard(frameCount: frames, height: size, width: size, fps: 8)
        var skipped: [(String, String)] = []
        for row in table.rows {
            let path = row.video.hasPrefix("/") ? row.video : (directory as NSString).appendingPathComponent(row.video)
            do {
                let probe = try VideoProbe.probe(path)
                let stride = Swift.max(1, (probe.frameCountEstimate ?? frames) / frames)
                let clip = try VideoDecoder.decodeClip(path, options: DecodeOptions(maxFrames: frames, frameStride: stride,
                                                                                      outputSize: FrameSize(width: size, height: size)))
                guard clip.frameCount == frames else {
                    throw HarnessError.invalid("has \(clip.frameCount) frames, needs \(frames)")
                }
                try shard.append(TrainingShardEntry(caption: row.caption, source: row.video, clip: clip))
            } catch {
                warn("skipping \(path): \(error)")
                skipped.append((path, "\(error)"))
            }
        }
        try shard.write(to: output)
        return Outcome(imported: table.rows.count - skipped.count, skipped: skipped, newWords: unknown, shardPath: output)
    }
}
