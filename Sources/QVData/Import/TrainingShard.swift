#if canImport(Glibc)
import Glibc
#endif
import Foundation
import QVMedia

/// Why a training shard could not be built, written or read.
public enum TrainingShardError: Error, Sendable, Equatable, CustomStringConvertible {
    case clipSizeMismatch(index: Int, expected: String, found: String)
    case badDimensions(String)
    case io(path: String, reason: String)
    case corrupt(source: String, reason: String)

    public var description: String {
        switch self {
        case let .clipSizeMismatch(i, expected, found):
            "training shard: clip \(i) is \(found) but the shard holds \(expected) clips; resize it first"
        case .badDimensions(let m): "training shard: \(m)"
        case let .io(path, reason): "training shard \(path): \(reason)"
        case let .corrupt(source, reason): "training shard \(source) is unreadable: \(reason)"
        }
    }
}

/// One stored clip with its caption and where it came from (the source video's file name).
public struct TrainingShardEntry: Sendable, Equatable {
    public var caption: String
    public var source: String
    public var clip: VideoClip
    public init(caption: String, source: String, clip: VideoClip) {
        self.caption = caption; self.source = source; self.clip = clip
    }
}

/// Resized training clips with captions in one binary file. All clips share one size.
///
/// Layout (all integers little-endian):
/// ```
/// 0   8 bytes  magic "QVSHARD" followed by a zero byte
/// 8   u32      format version (1)
/// 12  u32      clip count N
/// 16  u32 ×3   frames T, height H, width W
/// 28  f64      frames per second
/// 36  N records: u32 caption length, caption UTF-8, u32 source length, source UTF-8, T·H·W·3 pixel bytes
///              (VideoClip order: frame-major, row-major, interleaved RGB)
/// end u64      FNV-1a 64 of every preceding byte
/// ```
/// Files are written atomically (temporary file in the same folder, then rename).
public struct TrainingShard: Sendable, Equatable {
    public static let magic: [UInt8] = Array("QVSHARD".utf8) + [0]
    public static let version: UInt32 = 1
    static let headerSize = 36
    /// Limits that catch a corrupt header before allocating: 4096 frames, 8192 pixels a side, 1 GiB a clip.
    static let maxFrames = 4096, maxSide = 8192, maxClipBytes = 1 << 30

    public let frameCount: Int
    public let height: Int
    public let width: Int
    public let fps: Double
    public private(set) var entries: [TrainingShardEntry]

    /// An empty shard for clips of the given size.
    public init(frameCount: Int, height: Int, width: Int, fps: Double) throws(TrainingShardError) {
        guard (1...Self.maxFrames).contains(frameCount), (1...Self.maxSide).contains(height),
              (1...Self.maxSide).contains(width), frameCount * height * width * 3 <= Self.maxClipBytes,
              fps.isFinite, fps > 0 else {
            throw .badDimensions("\(frameCount) frames of \(height)×\(width) at \(fps) fps is not a valid clip size "
                                 + "(1…\(Self.maxFrames) frames, 1…\(Self.maxSide) pixels a side, fps > 0)")
        }
        self.frameCount = frameCount; self.height = height; self.width = width; self.fps = fps
        entries = []
    }

    var clipBytes: Int { frameCount * height * width * 3 }
    var sizeDescription: String { "\(frameCount)×\(height)×\(width)" }

    /// Adds a clip; it must have the shard's frame count and size.
    public mutating func append(_ entry: TrainingShardEntry) throws(TrainingShardError) {
        let c = entry.clip
        guard c.frameCount == frameCount, c.height == height, c.width == width else {
            throw .clipSizeMismatch(index: entries.count, expected: sizeDescription,
                                    found: "\(c.frameCount)×\(c.height)×\(c.width)")
        }
        entries.append(entry)
    }

    /// The shard's bytes in the documented layout.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerSize + entries.count * (clipBytes + 256) + 8)
        out += Self.magic
        ShardBytes.put(Self.version, into: &out)
        ShardBytes.put(UInt32(entries.count), into: &out)
        ShardBytes.put(UInt32(frameCount), into: &out)
        ShardBytes.put(UInt32(height), into: &out)
        ShardBytes.put(UInt32(width), into: &out)
        ShardBytes.put(fps.bitPattern, into: &out)
        for e in entries {
            let caption = Array(e.caption.utf8), source = Array(e.source.utf8)
            ShardBytes.put(UInt32(caption.count), into: &out); out += caption
            ShardBytes.put(UInt32(source.count), into: &out); out += source
            out += e.clip.pixels
        }
        ShardBytes.put(ShardBytes.fnv1a(out[...]), into: &out)
        return out
    }

    /// Writes the shard atomically: a reader never sees a half-written file.
    public func write(to path: String) throws(TrainingShardError) {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)").path
        do {
            try Data(encoded()).write(to: URL(fileURLWithPath: temp))
        } catch {
            throw .io(path: path, reason: "could not write the temporary file \(temp): \(error.localizedDescription)")
        }
        // rename(2) replaces the destination atomically within one file system.
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw .io(path: path, reason: "could not move the temporary file into place: \(reason)")
        }
    }

    /// Reads and fully validates a shard file.
    public static func read(from path: String) throws(TrainingShardError) -> TrainingShard {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: FileManager.default.fileExists(atPath: path)
                      ? "cannot be read (permissions?)" : "no such file")
        }
        return try decode([UInt8](data), source: path)
    }

    /// Parses shard bytes, checking the magic, version, sizes, every length against the bytes that
    /// remain, caption encoding, and the checksum; `source` names the data in errors.
    public static func decode(_ bytes: [UInt8], source: String = "<bytes>") throws(TrainingShardError) -> TrainingShard {
        var decoder = ShardDecoder(bytes: bytes, source: source)
        return try decoder.decode()
    }
}
