import Foundation
import Testing
import QVMedia
@testable import QVData

@Suite struct TrainingShardTests {
    func sampleShard() throws -> TrainingShard {
        var shard = try TrainingShard(frameCount: 3, height: 4, width: 5, fps: 12.5)
        for k in 0..<3 {
            let pixels = (0..<(3 * 4 * 5 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7 + k * 31) }
            try shard.append(TrainingShardEntry(caption: k == 1 ? "" : "clip \(k): «ünïcode», \"quoted\"",
                                                source: "videos/\(k).mp4",
                                                clip: VideoClip(frameCount: 3, height: 4, width: 5, fps: 12.5, pixels: pixels)))
        }
        return shard
    }

    @Test func roundTripsThroughBytesAndFiles() throws {
        let shard = try sampleShard()
        let bytes = shard.encoded()
        #expect(bytes.count == 36 + 3 * 180 + 8 + shard.entries.reduce(0) { $0 + 8 + $1.caption.utf8.count + $1.source.utf8.count })
        #expect(Array(bytes.prefix(8)) == Array("QVSHARD\0".utf8))
        #expect(try TrainingShard.decode(bytes) == shard)

        let dir = NSTemporaryDirectory() + "qvdata-shard-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/train-000.qvshard"
        try shard.write(to: path)
        #expect(try TrainingShard.read(from: path) == shard)
        // Overwriting replaces the file atomically and leaves no temporary files behind.
        var smaller = try TrainingShard(frameCount: 3, height: 4, width: 5, fps: 12.5)
        try smaller.append(shard.entries[2])
        try smaller.write(to: path)
        #expect(try TrainingShard.read(from: path) == smaller)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["train-000.qvshard"])
    }

    @Test func truncatedShardIsAClearError() throws {
        let bytes = try sampleShard().encoded()
        for cut in [0, 20, 40, 200, bytes.count - 100, bytes.count - 1] {
            do {
                _ = try TrainingShard.decode(Array(bytes.prefix(cut)), source: "s.qvshard")
                Issue.record("a shard cut to \(cut) bytes decoded")
            } catch {
                guard case .corrupt(let source, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(source == "s.qvshard")
                #expect(reason.contains("truncated"), "cut \(cut): \(reason)")
            }
        }
    }

    @Test func corruptionIsDetected() throws {
        var bytes = try sampleShard().encoded()
        bytes[100] ^= 1
        #expect(throws: TrainingShardError.self) { try TrainingShard.decode(bytes) }
        do { _ = try TrainingShard.decode(bytes) } catch { #expect(error.description.contains("checksum")) }

        var magic = try sampleShard().encoded()
        magic[0] = UInt8(ascii: "X")
        do { _ = try TrainingShard.decode(magic) } catch { #expect(error.description.contains("magic")) }

        var extra = try sampleShard().encoded()
        extra.insert(0, at: extra.count - 8)
        do { _ = try TrainingShard.decode(extra) } catch { #expect(error.description.contains("unexpected bytes")) }

        var huge = try sampleShard().encoded()
        huge[12] = 0xFF; huge[13] = 0xFF  // clip count 65535
        do { _ = try TrainingShard.decode(huge) } catch { #expect(error.description.contains("truncated")) }
    }

    @Test func clipsOfTheWrongSizeAreRejected() throws {
        var shard = try TrainingShard(frameCount: 2, height: 8, width: 8, fps: 8)
        #expect(throws: TrainingShardError.clipSizeMismatch(index: 0, expected: "2×8×8", found: "3×8×8")) {
            try shard.append(TrainingShardEntry(caption: "x", source: "y", clip: VideoClip(frameCount: 3, height: 8, width: 8)))
        }
        #expect(throws: TrainingShardError.self) { try TrainingShard(frameCount: 0, height: 8, width: 8, fps: 8) }
        #expect(throws: TrainingShardError.self) { try TrainingShard.read(from: "/nonexistent/x.qvshard") }
    }

    @Test func storesRenderedMotionShapesClips() throws {
        let data = try MotionShapesDataset.training(count: 4, seed: 2)
        var shard = try TrainingShard(frameCount: 8, height: 32, width: 32, fps: 8)
        for i in 0..<4 {
            let e = try data.example(i)
            try shard.append(TrainingShardEntry(caption: e.text, source: "motionshapes/\(i)", clip: e.clip))
        }
        let back = try TrainingShard.decode(shard.encoded())
        #expect(back.entries.map(\.clip) == (0..<4).map { try! data.example($0).clip })
        #expect(try back.entries.map { try Caption.parse($0.caption) } == data.entries.map(\.caption))
    }
}
