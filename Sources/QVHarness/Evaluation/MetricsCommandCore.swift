import Foundation
import QVData
import QVMedia
import QVMetrics

/// `qvbench metrics PATH…`: the VBench-style proxies for any videos. A file that fails to decode is
/// reported and the rest are still measured.
public struct VideoMetrics {
    public var paths: [String]
    /// Optional `video,caption` CSV: captions in the MotionShapes grammar enable the scene and overall
    /// consistency checks for those videos.
    public var promptsPath: String?
    /// Optional folder of reference videos for the FVD-style distance.
    public var referenceDirectory: String?

    public init(paths: [String], promptsPath: String? = nil, referenceDirectory: String? = nil) {
        self.paths = paths
        self.promptsPath = promptsPath
        self.referenceDirectory = referenceDirectory
    }

    public struct Outcome {
        public var report: MetricReport?
        public var failures: [(path: String, reason: String)]
    }

    public func run(warn: (String) -> Void) throws -> Outcome {
        var captions: [String: String] = [:]
        if let promptsPath {
            let table = try VideoCaptionCSV.read(path: promptsPath)
            for e in table.errors { warn("\(promptsPath):\(e.line): \(e.message)") }
            for row in table.rows { captions[(row.video as NSString).lastPathComponent] = row.caption }
        }
        var inputs: [MetricSuite.Input] = [], failures: [(String, String)] = []
        for path in paths {
            do {
                let clip = try VideoDecoder.decodeClip(path)
                var expectation: ClipExpectation?
                if let text = captions[(path as NSString).lastPathComponent] {
                    if let caption = try? Caption.parse(text) { expectation = ClipExpectation(caption: caption) } else {
                        warn("\(path): caption \"\(text)\" is outside the MotionShapes grammar; scene and overall consistency skipped")
                    }
                }
                inputs.append(MetricSuite.Input(name: path, clip: clip, expectation: expectation))
            } catch {
                warn("\(path): \(error)")
                failures.append((path, "\(error)"))
            }
        }
        var reference: [VideoClip] = []
        if let referenceDirectory {
            let files = try FileManager.default.contentsOfDirectory(atPath: referenceDirectory).sorted()
            for f in files {
                let p = (referenceDirectory as NSString).appendingPathComponent(f)
                do { reference.append(try VideoDecoder.decodeClip(p)) } catch { warn("reference \(p): \(error) (skipped)") }
            }
        }
        guard !inputs.isEmpty else { return Outcome(report: nil, failures: failures) }
        let classifier = inputs.contains { $0.expectation != nil } ? try motionShapesSceneClassifier() : nil
        let report = try MetricSuite().report(inputs, sceneClassifier: classifier, fvdReference: reference)
        return Outcome(report: report, failures: failures)
    }
}
