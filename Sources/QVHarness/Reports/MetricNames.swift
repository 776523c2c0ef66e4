/// Metric names the harness understands. Executors report these keys in `CellResult.metrics`; any
/// other key is kept, shown in the report's "other metrics" table and gated like the rest.
public enum MetricNames {
    /// The paper's eight VBench columns: (short title, metric key). Values are in 0…1 as VBench's;
    /// reports print them ×100. Keys match `QVMetrics.Dimension` raw values.
    public static let vbench: [(title: String, key: String)] = [
        ("IQ", "imaging_quality"), ("AQ", "aesthetic_quality"), ("MS", "motion_smoothness"),
        ("DD", "dynamic_degree"), ("BC", "background_consistency"), ("SC", "subject_consistency"),
        ("Scene", "scene"), ("OC", "overall_consistency"),
    ]
    /// The five columns the paper's ablation tables report.
    public static let ablationTitles = ["IQ", "AQ", "DD", "Scene", "OC"]

    /// Final KD training loss of a QAT run (claim 4).
    public static let trainLossFinal = "train_loss_final"
    /// Mean global gradient norm ‖g‖₂ over QAT steps (claim 4).
    public static let gradNormMean = "grad_norm_mean"
    /// Extra inference-time parameters of the deployed model (0 for QVGen after rank decay; claim 5).
    public static let extraParams = "extra_params"
    /// Milliseconds per sampling step of the deployed model (latency cells; claim 9).
    public static let latencyMs = "latency_ms"
    /// Deployable model size in bytes (latency cells; claim 9).
    public static let modelBytes = "model_bytes"
    /// Milliseconds per GEMM call (kernel cells; claim 9).
    public static let gemmMs = "gemm_ms"

    static func key(forTitle title: String) -> String? { vbench.first { $0.title == title }?.key }
}
