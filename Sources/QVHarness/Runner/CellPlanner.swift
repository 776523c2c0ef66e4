/// Expands a suite into its cells: models × rows (in that order), then kernel shapes × paths.
public enum CellPlanner {
    /// The resolved configurations of every cell of `suite`, with their labels, groups and order.
    public static func configurations(of suite: Suite) -> [(label: String, groups: [String], configuration: CellConfiguration)] {
        var out: [(label: String, groups: [String], configuration: CellConfiguration)] = []
        for model in suite.models {
            for row in suite.rows {
                let family = MethodCatalog.method(row.method)?.family ?? .fullPrecision
                let config = CellConfiguration(
                    task: suite.task.rawValue, model: model, method: row.method, w: row.w, a: row.a,
                    knobs: row.knobs, evaluation: suite.evaluation,
                    training: family == .fullPrecision ? nil : suite.training)
                out.append((row.label, suite.groups(containing: row.label), config))
            }
        }
        if let kernels = suite.kernels {
            for shape in kernels.shapes {
                for path in kernels.paths {
                    let bits = kernelBits(path)
                    let config = CellConfiguration(task: "kernel", model: "gemm-\(shape)", method: path,
                                                   w: bits.w, a: bits.a, knobs: [:], evaluation: nil,
                                                   training: nil, kernel: shape)
                    out.append(("GEMM \(shape) \(path)", [], config))
                }
            }
        }
        return out
    }

    /// Cells of `suite` with input keys from `executor`.
    public static func cells(of suite: Suite, executor: CellExecutor) throws -> [Cell] {
        try configurations(of: suite).enumerated().map { index, item in
            Cell(suite: suite.name, label: item.label, groups: item.groups, configuration: item.configuration,
                 inputs: try executor.inputs(for: item.configuration), order: index)
        }
    }

    static func kernelBits(_ path: String) -> (w: Int, a: Int) {
        switch path {
        case "w8a8": return (8, 8)
        case "w4a4", "w4a4-g64": return (4, 4)
        default: return (32, 32)
        }
    }
}
