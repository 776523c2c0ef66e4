import ArgumentParser
import Foundation
import QVHarness
import QVMetrics

/// `qvbench metrics PATH…`: VBench-style proxy scores for any videos.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score videos on the eight VBench-style dimensions (×100); non-zero exit if any file failed.")
    @Argument(help: "Video files (anything FFmpeg decodes).") var paths: [String]
    @Option(help: "CSV with columns video,caption (MotionShapes captions enable scene/overall consistency).") var prompts: String?
    @Option(help: "Folder of reference videos for the FVD-style distance.") var reference: String?
    @Option(help: "Output format: csv, md or json.") var format = "md"

    func run() throws {
        guard let f = MetricReport.Format(rawValue: format) else { throw ValidationError("format must be csv, md or json") }
        let outcome = try VideoMetrics(paths: paths, promptsPath: prompts, referenceDirectory: reference)
            .run { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) }
        if let report = outcome.report { print(report.formatted(f)) }
        if !outcome.failures.isEmpty {
            FileHandle.standardError.write(Data("\(outcome.failures.count) of \(paths.count) file(s) failed\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// `qvbench data import DIR --captions captions.csv`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "data", abstract: "Training data tools.",
                                                    subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import real clips (OpenVid layout: videos + video,caption CSV) into a training shard.")
        @Argument(help: "Folder with the videos.") var directory: String
        @Option(help: "CSV with columns video,caption.") var captions: String
        @Option(help: "Output shard.") var out = "runs/data/imported.qvshard"
        @Option(help: "Frames per clip.") var frames = 8
        @Option(help: "Frame size in pixels (square).") var size = 32
        @Flag(help: "Accept caption words outside the closed vocabulary.") var extendVocab = false

        func run() throws {
            let outcome = try ClipImport(directory: directory, captionsPath: captions, frames: frames, size: size,
                                         extendVocabulary: extendVocab)
                .run(output: out) { FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8)) }
            print("imported \(outcome.imported) clip(s), skipped \(outcome.skipped.count); wrote \(outcome.shardPath)"
                  + (outcome.newWords.isEmpty ? "" : "; new words: \(outcome.newWords.joined(separator: ", "))"))
        }
    }
}
