import Testing
@testable import QVTensor

@Suite struct ReductionShapeGradTests {
    @Test func reductionsOverEveryAxisSet() {
        let x = rand([2, 3, 4], seed: 21)
        for axes in [nil, [0], [1], [2], [-1], [0, 2], [1, 2]] as [[Int]?] {
            for keep in [false, true] {
                gradCheck("sum \(String(describing: axes))", [x]) { $0[0].sum(axes: axes, keepDims: keep) }
                gradCheck("mean", [x]) { $0[0].mean(axes: axes, keepDims: keep) }
                gradCheck("variance", [x]) { $0[0].variance(axes: axes, keepDims: keep) }
                gradCheck("max", [x]) { $0[0].max(axes: axes, keepDims: keep) }
                gradCheck("min", [x]) { $0[0].min(axes: axes, keepDims: keep) }
            }
        }
    }

    @Test func reductionValues() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 9])
        #expect(x.sum(axes: [1]).data == [6, 18])
        #expect(x.mean(axes: [0]).data == [2.5, 3.5, 6])
        #expect(x.max(axes: [1]).data == [3, 9])
        #expect(x.min().item == 1)
        #expect(x.sum(axes: [0], keepDims: true).shape == [1, 3])
        #expect(Swift.abs(x.variance(axes: [1]).data[0] - 2.0 / 3.0) < 1e-6)
    }

    @Test func shapeOps() {
        let x = rand([2, 3, 4], seed: 22)
        gradCheck("reshape", [x]) { $0[0].reshaped([4, -1]) }
        gradCheck("permute", [x]) { $0[0].permuted([2, 0, 1]) }
        gradCheck("transpose", [x]) { $0[0].transposed(0, 2) }
        gradCheck("slice", [x]) { $0[0].slice(axis: 1, 1..<3) }
        gradCheck("split", [x]) { t in
            let parts = t[0].split(sizes: [1, 3], axis: 2)
            return parts[0] * parts[1].sum(axes: [2], keepDims: true)
        }
        gradCheck("chunk", [x]) { $0[0].chunk(2, axis: 0)[1] }
        gradCheck("unsqueeze", [x]) { $0[0].unsqueezed(1) }
        let y = rand([2, 2, 4], seed: 23)
        gradCheck("concat", [x, y]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) }
    }

    @Test func permuteAndConcatValues() {
        let x = Tensor(shape: [2, 3], data: [0, 1, 2, 3, 4, 5])
        #expect(x.transposed().data == [0, 3, 1, 4, 2, 5])
        let c = Tensor.concat([x, Tensor(shape: [2, 1], data: [9, 8])], axis: 1)
        #expect(c.data == [0, 1, 2, 9, 3, 4, 5, 8])
        #expect(x.slice(axis: 1, 1..<2).data == [1, 4])
        let p = rand([2, 3, 4], seed: 24).permuted([1, 2, 0])
        #expect(p.shape == [3, 4, 2])
    }
}
