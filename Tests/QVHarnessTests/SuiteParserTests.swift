import Foundation
import Testing
@testable import QVHarness

@Suite struct SuiteParserTests {
    /// Parses `text` as `bad.yaml` and returns the error (the test fails if it parses).
    func failure(_ text: String) throws -> SuiteError {
        do {
            _ = try SuiteParser.parse(text, path: "suites/bad.yaml")
        } catch let error as SuiteError {
            return error
        }
        Issue.record("expected a SuiteError")
        throw HarnessError.invalid("parsed")
    }

    /// 1-based column of `needle` on 1-based `line` of `text`.
    func column(of needle: String, line: Int, in text: String) -> Int {
        let l = text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        return l.distance(from: l.startIndex, to: l.range(of: needle)!.lowerBound) + 1
    }

    let header = """
    suite: bad
    models: [wan-s]
    evaluation: {prompts: 8, samples: 2, steps: 25}
    rows:

    """

    @Test func shippedSuitesParse() throws {
        for name in ["ci", "quick", "table1", "table2", "ablations", "efficiency"] {
            let suite = try SuiteParser.load("\(packageRoot)/suites/\(name).yaml")
            #expect(suite.name == name)
        }
        let table1 = try SuiteParser.load("\(packageRoot)/suites/table1.yaml")
        #expect(table1.rows.count == 12)
        #expect(table1.models == ["cogx-m", "wan-m"])
        #expect(table1.rows[3].knobs["group"] == .int(64))
        let ablations = try SuiteParser.load("\(packageRoot)/suites/ablations.yaml")
        #expect(ablations.groups.map(\.name) == ["components", "lambda", "rank", "decay"])
        #expect(ablations.groups(containing: "QVGen") == ["components", "lambda", "rank", "decay"])
        let efficiency = try SuiteParser.load("\(packageRoot)/suites/efficiency.yaml")
        #expect(efficiency.task == .latency)
        #expect(efficiency.kernels?.shapes.first == KernelShape(m: 256, k: 128, n: 384))
    }

    @Test func defaultsAreFilledIn() throws {
        let suite = try SuiteParser.parse(header + "  - {label: Q, method: qvgen, w: 4, a: 4, knobs: {rank: 16}}\n  - {label: F, method: fp}\n",
                                          path: "bad.yaml")
        #expect(suite.rows[0].knobs == ["rank": .int(16), "lambda": .number(0.5), "decay": .word("rank"), "phi": .flag(true)])
        #expect(suite.rows[0].knobText == "decay=rank;lambda=0.5;phi=on;rank=16")
        #expect(suite.rows[1].w == 16 && suite.rows[1].a == 16)
        #expect(suite.training == TrainingSettings())
        #expect(suite.evaluation.guidance == nil)
    }

    @Test func unknownTopLevelKeyHasLineAndValidKeys() throws {
        let text = header + "  - {label: F, method: fp}\nmodles: [wan-m]\n"
        let e = try failure(text)
        #expect(e.line == 6 && e.column == 1)
        #expect(e.message.contains("modles") && e.message.contains("models, evaluation"))
        #expect(e.description.hasPrefix("suites/bad.yaml:6:1:"))
    }

    @Test func unknownNestedKey() throws {
        let text = "suite: bad\nmodels: [wan-s]\nevaluation: {prompts: 8, samples: 2, steps: 25, colour: red}\nrows:\n  - {label: F, method: fp}\n"
        let e = try failure(text)
        #expect(e.line == 3 && e.column == column(of: "colour", line: 3, in: text))
        #expect(e.message.contains("prompts, samples, steps, guidance, seed"))
    }

    @Test func unknownMethodListsMethods() throws {
        let text = header + "  - {label: F, method: fp}\n  - {label: X, method: gptq, w: 4, a: 4}\n"
        let e = try failure(text)
        #expect(e.line == 6 && e.column == column(of: "gptq", line: 6, in: text))
        #expect(e.message.contains("fp, rtn, vidit-q, svdquant, lsq, q-dm, efficientdm, qvgen"))
    }

    @Test func unknownKnobListsTheMethodsKnobs() throws {
        let text = header + "  - {label: Q, method: qvgen, w: 4, a: 4,\n     knobs: {rank: 8, gamma: 2}}\n"
        let e = try failure(text)
        #expect(e.line == 6 && e.column == column(of: "gamma", line: 6, in: text))
        #expect(e.message.contains("rank, lambda, decay, phi"))
    }

    @Test func knobsOnAMethodWithoutKnobs() throws {
        let e = try failure(header + "  - {label: L, method: lsq, w: 4, a: 4, knobs: {rank: 8}}\n")
        #expect(e.line == 5 && e.message.contains("no knobs"))
    }

    @Test func badValues() throws {
        let bits = try failure(header + "  - {label: Q, method: lsq, w: 1, a: 4}\n")
        #expect(bits.line == 5 && bits.message.contains("2…8"))
        let fp = try failure(header + "  - {label: F, method: fp, w: 4}\n")
        #expect(fp.line == 5 && fp.message.contains("16"))
        let missing = try failure(header + "  - {label: Q, method: qvgen}\n")
        #expect(missing.line == 5 && missing.message.contains("w and a"))
        let decay = try failure(header + "  - {label: Q, method: qvgen, w: 4, a: 4, knobs: {decay: linear}}\n")
        #expect(decay.message.contains("rank, sparse, residual, none"))
        let lambda = try failure(header + "  - {label: Q, method: qvgen, w: 4, a: 4, knobs: {lambda: 2}}\n")
        #expect(lambda.message.contains("out of range"))
        let type = try failure(header + "  - {label: Q, method: qvgen, w: four, a: 4}\n")
        #expect(type.message.contains("integer"))
        let model = try failure("suite: bad\nmodels: [wan-s, wan-xxl]\nevaluation: {prompts: 8, samples: 2, steps: 25}\nrows: [{label: F, method: fp}]\n")
        #expect(model.line == 2 && model.message.contains("wan-xs, wan-s, wan-m, wan-l, cogx-xs"))
    }

    @Test func structuralErrors() throws {
        let duplicate = try failure(header + "  - {label: F, method: fp}\n  - {label: F, method: fp}\n")
        #expect(duplicate.line == 6 && duplicate.message.contains("twice"))
        let name = try failure("suite: other\nmodels: [wan-s]\nevaluation: {prompts: 8, samples: 2, steps: 25}\nrows: [{label: F, method: fp}]\n")
        #expect(name.line == 1 && name.message.contains("bad"))
        let group = try failure(header + "  - {label: F, method: fp}\ngroups:\n  g: [F, G]\n")
        #expect(group.line == 7 && group.message.contains("G"))
        let missing = try failure("suite: bad\nmodels: [wan-s]\nrows: [{label: F, method: fp}]\n")
        #expect(missing.message.contains("evaluation"))
        let twice = try failure(header + "  - {label: F, method: fp}\nmodels: [wan-m]\n")
        #expect(twice.line == 6 && twice.message.contains("twice"), "\(twice)")
    }

    @Test func yamlSyntaxErrorsKeepTheirLine() throws {
        let e = try failure("suite: bad\nmodels: [wan-s\nevaluation: {prompts: 8}\n")
        #expect(e.line >= 2 && e.message.hasPrefix("YAML syntax"))
    }
}

@Suite struct SuiteResolveTests {
    @Test func bareNamesResolveAndUnknownNamesListTheSuites() throws {
        let suites = packageRoot + "/suites"
        #expect(try SuiteParser.resolve("quick", suitesDirectory: suites) == suites + "/quick.yaml")
        do {
            _ = try SuiteParser.resolve("quik", suitesDirectory: suites)
            Issue.record("resolved a missing suite")
        } catch let error as HarnessError {
            #expect("\(error)".contains("ablations, ci, efficiency, quick, table1, table2"))
        }
    }
}
