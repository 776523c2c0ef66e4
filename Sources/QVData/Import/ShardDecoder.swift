import QVMedia

/// Little-endian integer encoding and the FNV-1a checksum used by `TrainingShard`.
enum ShardBytes {
    static func put<I: FixedWidthInteger>(_ v: I, into out: inout [UInt8]) {
        var x = v.littleEndian
        withUnsafeBytes(of: &x) { out.append(contentsOf: $0) }
    }

    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

/// Validating reader for the `TrainingShard` layout.
struct ShardDecoder {
    let bytes: [UInt8]
    let source: String
    var position = 0

    init(bytes: [UInt8], source: String) { self.bytes = bytes; self.source = source }

    private func corrupt(_ reason: String) -> TrainingShardError { .corrupt(source: source, reason: reason) }

    private mutating func take(_ n: Int, for what: String) throws(TrainingShardError) -> ArraySlice<UInt8> {
        // The last 8 bytes are the checksum, never part of a field.
        let available = bytes.count - 8 - position
        guard n <= available else {
            throw corrupt("truncated: \(what) needs \(n) bytes but only \(max(available, 0)) remain "
                          + "(file is \(bytes.count) bytes; was the write interrupted?)")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    private mutating func u32(_ what: String) throws(TrainingShardError) -> UInt32 {
        let s = try take(4, for: what)
        return s.reversed().reduce(0) { ($0 << 8) | UInt32($1) }
    }

    private mutating func u64(_ what: String) throws(TrainingShardError) -> UInt64 {
        let s = try take(8, for: what)
        return s.reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    private mutating func text(_ what: String) throws(TrainingShardError) -> String {
        let n = Int(try u32("the length of \(what)"))
        guard let s = String(validating: try take(n, for: what), as: UTF8.self) else {
            throw corrupt("\(what) is not valid UTF-8")
        }
        return s
    }

    mutating func decode() throws(TrainingShardError) -> TrainingShard {
        guard bytes.count >= TrainingShard.headerSize + 8 else {
            throw corrupt("truncated: \(bytes.count) bytes is shorter than the \(TrainingShard.headerSize)-byte header "
                          + "plus checksum")
        }
        guard Array(bytes.prefix(8)) == TrainingShard.magic else {
            throw corrupt("not a QVBench training shard (bad magic bytes)")
        }
        position = 8
        let version = try u32("version")
        guard version == TrainingShard.version else {
            throw corrupt("format version \(version) is not supported (this build reads version \(TrainingShard.version))")
        }
        let count = Int(try u32("clip count"))
        let t = Int(try u32("frame count")), h = Int(try u32("height")), w = Int(try u32("width"))
        let fps = Double(bitPattern: try u64("fps"))
        var shard: TrainingShard
        do {
            shard = try TrainingShard(frameCount: t, height: h, width: w, fps: fps)
        } catch {
            throw corrupt("header: \(error)")
        }
        // Each record needs at least 8 length bytes plus its pixels: reject impossible counts early.
        let minimum = TrainingShard.headerSize + 8 + count * (8 + shard.clipBytes)
        guard minimum <= bytes.count else {
            throw corrupt("truncated: \(count) clips of \(t)×\(h)×\(w) need at least \(minimum) bytes but the file "
                          + "has \(bytes.count)")
        }
        for i in 0..<count {
            let caption = try text("the caption of clip \(i)")
            let origin = try text("the source name of clip \(i)")
            let pixels = Array(try take(shard.clipBytes, for: "the pixels of clip \(i)"))
            let clip = VideoClip(frameCount: t, height: h, width: w, fps: fps, pixels: pixels)
            do { try shard.append(TrainingShardEntry(caption: caption, source: origin, clip: clip)) } catch {
                throw corrupt("clip \(i): \(error)")
            }
        }
        let extra = bytes.count - 8 - position
        guard extra == 0 else { throw corrupt("\(extra) unexpected bytes after the last clip") }
        let stored = bytes.suffix(8).reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        let actual = ShardBytes.fnv1a(bytes[0..<(bytes.count - 8)])
        guard stored == actual else {
            throw corrupt("checksum mismatch (stored \(String(stored, radix: 16)), computed \(String(actual, radix: 16))): "
                          + "the file was modified or damaged")
        }
        return shard
    }
}
