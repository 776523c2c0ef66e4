import Foundation
import QVData
import QVModels
import QVQuant
import QVTensor

/// The PTQ rows: calibration on training captions along the teacher's trajectories, then the method.
struct PTQApplication {
    let configuration: CellConfiguration
    let knobs: MethodApplication

    var spec: QuantizationSpec {
        let group = knobs.int("group", 0)
        let g: Int? = group > 0 ? group : nil
        return QuantizationSpec(weight: WeightQuantSpec(bits: configuration.w, groupSize: g),
                                activation: ActivationQuantSpec(bits: configuration.a, groupSize: g))
    }

    func apply(to teacher: ReferenceModel, metrics: inout [String: Double], progress: (String) -> Void) throws -> ReferenceModel {
        let model = try teacher.copy()
        switch configuration.method {
        case "rtn":
            ModelQuantization.install(on: model.dit, spec: spec)
        default:
            throw HarnessError.invalid("PTQ method '\(configuration.method)' is not wired into the executor yet")
        }
        return model
    }
}
