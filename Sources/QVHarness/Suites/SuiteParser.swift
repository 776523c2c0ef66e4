import Foundation
import Yams

// Suite file schema (YAML). Every key below is the complete list: unknown keys are errors.
//
//   suite: quick                  # required; must equal the file's stem (quick.yaml)
//   description: "…"              # optional text for the report
//   task: quality                 # optional: quality (default) | latency (per-step time and model bytes)
//   models: [wan-s, cogx-s]       # required; presets {wan,cogx}-{xs,s,m,l}
//   evaluation:                   # required
//     prompts: 8                  #   MotionShapes evaluation prompts (1…10000)
//     samples: 2                  #   seeds per prompt (1…100)
//     steps: 25                   #   sampler steps (1…1000)
//     guidance: default           #   CFG scale ≥ 0, or `default` (family's own)
//     seed: 0                     #   optional base seed (default 0)
//   training:                     # optional, shared by every PTQ/QAT row (defaults 200, 8, 4)
//     qat_steps: 200              #   0…1000000
//     batch: 8                    #   1…4096
//     calibration_prompts: 4      #   PTQ calibration prompts, 1…10000
//   rows:                         # required, one table row each; (label, w, a) unique
//     - {label: "QVGen", method: qvgen, w: 4, a: 4, knobs: {rank: 32, lambda: 0.5}}
//                                 #   method: see MethodCatalog; w, a ∈ 2…8 (fp: omitted or 16)
//                                 #   knobs: only the method's own (MethodCatalog), defaults filled in
//   groups:                       # optional: ablation groups, name → row labels (report layout, --only)
//     rank: ["r0 = 0", "QVGen"]
//   kernels:                      # optional (efficiency suite): GEMM shapes × kernel paths
//     shapes: [[256, 512, 512]]   #   [M, K, N] or {m:, k:, n:}, each 1…65536
//     paths: [fp32, w8a8, w4a4, w4a4-g64]
//   paper: [table1]               # optional: fixtures/paper/<stem>.csv printed beside our numbers

/// Reads and validates suite files; errors carry file, line and column.
public enum SuiteParser {
    static let topKeys = ["suite", "description", "task", "models", "evaluation", "training", "rows", "groups",
                          "kernels", "paper"]
    static let evaluationKeys = ["prompts", "samples", "steps", "guidance", "seed"]
    static let trainingKeys = ["qat_steps", "batch", "calibration_prompts"]
    static let rowKeys = ["label", "method", "w", "a", "knobs"]
    static let kernelKeys = ["shapes", "paths"]

    /// A suite path from a path or a bare name: `quick` → `<suitesDirectory>/quick.yaml`.
    public static func resolve(_ nameOrPath: String, suitesDirectory: String = "suites") throws -> String {
        if FileManager.default.fileExists(atPath: nameOrPath) { return nameOrPath }
        let candidate = (suitesDirectory as NSString).appendingPathComponent("\(nameOrPath).yaml")
        if FileManager.default.fileExists(atPath: candidate) { return candidate }
        let available = ((try? FileManager.default.contentsOfDirectory(atPath: suitesDirectory)) ?? [])
            .filter { $0.hasSuffix(".yaml") && $0 != "tolerances.yaml" }.map { ($0 as NSString).deletingPathExtension }.sorted()
        throw HarnessError.io(path: nameOrPath, reason: "no such suite file; suites in \(suitesDirectory)/: \(available.joined(separator: ", "))")
    }

    /// Parses the suite at `path`.
    public static func load(_ path: String) throws -> Suite {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HarnessError.io(path: path, reason: "cannot read the suite file (missing or not UTF-8)")
        }
        return try parse(text, path: path)
    }

    /// Parses suite text; `path` names the file in errors and fixes the expected suite name (its stem).
    public static func parse(_ text: String, path: String) throws -> Suite {
        let reader = YAMLReader(file: path)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw reader.error(nil, "the suite file is empty") }
            root = node
        } catch let error as YamlError {
            throw yamlSyntaxError(error, file: path, text: text)
        }
        let top = try reader.mapping(root, "the suite", allowed: topKeys, required: ["suite", "models", "evaluation", "rows"])

        let name = try reader.string(top["suite"]!, "suite")
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if !stem.isEmpty && name != stem {
            throw reader.error(top["suite"], "suite name '\(name)' must match the file name '\(stem)'")
        }
        let description = try top["description"].map { try reader.scalarText($0, "description") } ?? ""
        let task = try top["task"].map {
            Suite.Task(rawValue: try reader.choice($0, "task", from: Suite.Task.allCases.map(\.rawValue)))!
        } ?? .quality

        let modelNodes = try reader.sequence(top["models"]!, "models")
        guard !modelNodes.isEmpty else { throw reader.error(top["models"], "models must list at least one model") }
        var models: [String] = []
        for node in modelNodes {
            let model = try reader.choice(node, "model", from: MethodCatalog.modelNames)
            guard !models.contains(model) else { throw reader.error(node, "model '\(model)' is listed twice") }
            models.append(model)
        }

        let evaluation = try parseEvaluation(top["evaluation"]!, reader)
        let training = try top["training"].map { try parseTraining($0, reader) } ?? TrainingSettings()

        let rowNodes = try reader.sequence(top["rows"]!, "rows")
        guard !rowNodes.isEmpty else { throw reader.error(top["rows"], "rows must list at least one row") }
        var rows: [RowSpec] = []
        for node in rowNodes {
            let row = try parseRow(node, reader)
            if rows.contains(where: { $0.label == row.label && $0.w == row.w && $0.a == row.a }) {
                throw reader.error(node, "row '\(row.label)' at \(row.bits) appears twice; label and bits must be unique together")
            }
            rows.append(row)
        }

        var groups: [RowGroup] = []
        if let groupsNode = top["groups"] {
            for entry in try reader.mapping(groupsNode, "groups", allowed: []) {
                var labels: [String] = []
                for labelNode in try reader.sequence(entry.value, "group '\(entry.key)'") {
                    labels.append(try reader.choice(labelNode, "row label in group '\(entry.key)'", from: rows.map(\.label)))
                }
                groups.append(RowGroup(name: entry.key, labels: labels))
            }
        }

        let kernels = try top["kernels"].map { try parseKernels($0, reader) }
        let paper = try top["paper"].map { node in
            try reader.sequence(node, "paper").map { try reader.string($0, "paper table") }
        } ?? []
        return Suite(name: name, description: description, task: task, models: models, evaluation: evaluation,
                     training: training, rows: rows, groups: groups, kernels: kernels, paper: paper, path: path)
    }

    static func parseEvaluation(_ node: Node, _ r: YAMLReader) throws -> EvaluationSettings {
        let m = try r.mapping(node, "evaluation", allowed: evaluationKeys, required: ["prompts", "samples", "steps"])
        var guidance: Double?
        if let g = m["guidance"], try r.scalarText(g, "guidance") != "default" {
            guidance = try r.number(g, "guidance (or `default`)", in: 0...100)
        }
        return EvaluationSettings(prompts: try r.int(m["prompts"]!, "evaluation.prompts", in: 1...10000),
                                  samples: try r.int(m["samples"]!, "evaluation.samples", in: 1...100),
                                  steps: try r.int(m["steps"]!, "evaluation.steps", in: 1...1000),
                                  guidance: guidance,
                                  seed: try m["seed"].map { try r.int($0, "evaluation.seed", in: 0...Int(Int32.max)) } ?? 0)
    }

    static func parseTraining(_ node: Node, _ r: YAMLReader) throws -> TrainingSettings {
        let m = try r.mapping(node, "training", allowed: trainingKeys, required: [])
        let d = TrainingSettings()
        return TrainingSettings(
            qatSteps: try m["qat_steps"].map { try r.int($0, "training.qat_steps", in: 0...1_000_000) } ?? d.qatSteps,
            batch: try m["batch"].map { try r.int($0, "training.batch", in: 1...4096) } ?? d.batch,
            calibrationPrompts: try m["calibration_prompts"].map {
                try r.int($0, "training.calibration_prompts", in: 1...10000) } ?? d.calibrationPrompts)
    }

    static func parseRow(_ node: Node, _ r: YAMLReader) throws -> RowSpec {
        let m = try r.mapping(node, "a row", allowed: rowKeys, required: ["label", "method"])
        let label = try r.string(m["label"]!, "label")
        let methodName = try r.choice(m["method"]!, "method", from: MethodCatalog.methodNames)
        let method = MethodCatalog.method(methodName)!
        let w: Int, a: Int
        if method.family == .fullPrecision {
            w = try m["w"].map { try r.int($0, "w (full precision is 16/16)", in: 16...16) } ?? 16
            a = try m["a"].map { try r.int($0, "a (full precision is 16/16)", in: 16...16) } ?? 16
        } else {
            guard let wNode = m["w"], let aNode = m["a"] else {
                throw r.error(node, "row '\(label)' (\(methodName)) needs weight and activation bits: w and a in 2…8")
            }
            w = try r.int(wNode, "w (weight bits)", in: MethodCatalog.bitRange)
            a = try r.int(aNode, "a (activation bits)", in: MethodCatalog.bitRange)
        }
        var knobs: [String: KnobValue] = [:]
        for knob in method.knobs { knobs[knob.name] = knob.defaultValue }
        if let knobsNode = m["knobs"] {
            let valid = method.knobs.map(\.name)
            if valid.isEmpty, case let .mapping(map) = knobsNode, !map.isEmpty {
                throw r.error(knobsNode, "method \(methodName) has no knobs; remove `knobs`")
            }
            for entry in try r.mapping(knobsNode, "knobs of \(methodName)", allowed: valid.isEmpty ? ["(none)"] : valid) {
                knobs[entry.key] = try r.knob(entry.value, method.knob(entry.key)!, "knob \(entry.key)")
            }
        }
        return RowSpec(label: label, method: methodName, w: w, a: a, knobs: knobs)
    }

    static func parseKernels(_ node: Node, _ r: YAMLReader) throws -> KernelSettings {
        let m = try r.mapping(node, "kernels", allowed: kernelKeys, required: ["shapes", "paths"])
        var shapes: [KernelShape] = []
        for shapeNode in try r.sequence(m["shapes"]!, "kernels.shapes") {
            let dims: [Int]
            if case .mapping = shapeNode {
                let s = try r.mapping(shapeNode, "a kernel shape", allowed: ["m", "k", "n"], required: ["m", "k", "n"])
                dims = try ["m", "k", "n"].map { try r.int(s[$0]!, "shape \($0)", in: 1...65536) }
            } else {
                let items = try r.sequence(shapeNode, "a kernel shape ([M, K, N])")
                guard items.count == 3 else { throw r.error(shapeNode, "a kernel shape needs exactly three sizes [M, K, N]") }
                dims = try items.map { try r.int($0, "shape size", in: 1...65536) }
            }
            shapes.append(KernelShape(m: dims[0], k: dims[1], n: dims[2]))
        }
        let paths = try r.sequence(m["paths"]!, "kernels.paths").map {
            try r.choice($0, "kernel path", from: MethodCatalog.kernelPaths)
        }
        return KernelSettings(shapes: shapes, paths: paths)
    }

    static func yamlSyntaxError(_ error: YamlError, file: String, text: String) -> SuiteError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return SuiteError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Yams marks the mapping; point at the key's second occurrence after it instead.
            let key = duplicates.first ?? ""
            let (line, column) = secondOccurrence(of: key, in: text, from: context.mark) ?? (context.mark.line, context.mark.column)
            return SuiteError(file: file, line: line, column: column,
                              message: "key '\(key)' appears twice in the same mapping; keep one")
        default:
            return SuiteError(file: file, line: 1, column: 1, message: "YAML: \(error)")
        }
    }

    /// Line and column of the second `key:` at or after `mark` (start of a line or after `{` / `,`).
    static func secondOccurrence(of key: String, in text: String, from mark: Mark) -> (Int, Int)? {
        var found = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= mark.line {
            let chars = Array(line)
            let needle = Array(key)
            var i = 0
            while i + needle.count <= chars.count {
                let boundary = i == 0 || " \t{,-".contains(chars[i - 1])
                if boundary && Array(chars[i..<i + needle.count]) == needle {
                    var j = i + needle.count
                    while j < chars.count && chars[j] == " " { j += 1 }
                    if j < chars.count && chars[j] == ":" {
                        found += 1
                        if found == 2 { return (index + 1, i + 1) }
                    }
                }
                i += 1
            }
        }
        return nil
    }
}
