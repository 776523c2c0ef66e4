import CQVKernels

extension QuantizedActivations {
    /// Activations whose integer levels, scales and zero points were computed elsewhere (e.g. by a
    /// fake quantizer with learned clipping), packed for the kernels: `levels` is row-major
    /// [rows × columns] with values in 0…2^bits−1, `scales`/`zeroPoints` are [rows × groups].
    public init(levels: [UInt8], scales: [Float], zeroPoints: [Float], rows: Int, columns: Int, bits: Int,
                granularity: WeightGranularity = .perChannel) throws {
        guard rows > 0, columns > 0, levels.count == rows * columns else {
            throw KernelError.invalidArgument("levels have \(levels.count) values, expected \(rows)×\(columns)")
        }
        guard (2...8).contains(bits), levels.allSatisfy({ Int($0) < (1 << bits) }) else {
            throw KernelError.invalidArgument("levels must lie in 0…\((1 << bits) - 1) for \(bits) bits")
        }
        var created: UnsafeMutablePointer<qvk_activations>?
        try KernelError.check(qvk_activations_create(Int32(rows), Int32(columns), Int32(bits), granularity.groupSize, &created),
                              "activations \(rows)×\(columns)")
        guard let a = created else { throw KernelError.allocationFailed("activations \(rows)×\(columns)") }
        let storage = ActivationStorage(a)
        let groups = Int(a.pointee.groups), kp = Int(a.pointee.k_padded)
        guard scales.count == rows * groups, zeroPoints.count == rows * groups else {
            throw KernelError.invalidArgument("scales/zero points need \(rows * groups) values, got \(scales.count)/\(zeroPoints.count)")
        }
        let group = granularity.groupSize == 0 ? columns : Int(granularity.groupSize)
        let q = a.pointee.q!, scale = a.pointee.scale!, zero = a.pointee.zero!, qsum = a.pointee.qsum!
        scales.withUnsafeBufferPointer { scale.update(from: $0.baseAddress!, count: rows * groups) }
        zeroPoints.withUnsafeBufferPointer { zero.update(from: $0.baseAddress!, count: rows * groups) }
        q.update(repeating: 0, count: (rows + 1) * kp)
        levels.withUnsafeBufferPointer { lv in
            for r in 0..<rows {
                (q + r * kp).update(from: lv.baseAddress! + r * columns, count: columns)
                for g in 0..<groups {
                    var sum: Int32 = 0
                    for k in (g * group)..<Swift.min((g + 1) * group, columns) { sum &+= Int32(lv[r * columns + k]) }
                    qsum[r * groups + g] = sum
                }
            }
        }
        self.init(storage: storage, rows: rows, columns: columns, bits: bits, granularity: granularity)
    }

    init(storage: ActivationStorage, rows: Int, columns: Int, bits: Int, granularity: WeightGranularity) {
        self.rows = rows
        self.columns = columns
        self.bits = bits
        self.granularity = granularity
        self.storage = storage
    }
}
