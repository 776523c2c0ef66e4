/// Markdown and CSV renderings of a `KernelBenchReport`.
extension KernelBenchReport {
    /// A header (cores, paths, OpenBLAS core), the peak table and one row per shape × variant × path.
    public func markdown() -> String {
        var lines = [String]()
        lines.append("Integer GEMM vs OpenBLAS sgemm, \(threads) thread(s); CPU paths: "
            + cpuPaths.map(\.description).joined(separator: ", ") + "; OpenBLAS core: \(openBLASCore).")
        lines.append("GOP/s = 2·M·N·K / best time. Kernel = GEMM on quantized activations; end-to-end adds per-token activation quantize+pack.")
        lines.append("")
        lines.append("| loop | path | GOP/s (1 thread) | % of dpbusd peak |")
        lines.append("| --- | --- | ---: | ---: |")
        for p in peaks {
            lines.append("| \(p.name) | \(p.path) | \(fmt(p.gops, 1)) | \(p.percentOfPeak.map { fmt($0, 1) } ?? "") |")
        }
        lines.append("")
        lines.append("| shape | M | N | K | kernel | path | kernel GOP/s | end-to-end GOP/s | × sgemm | % of peak |")
        lines.append("| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |")
        for r in rows {
            lines.append("| \(r.shape.label) | \(r.shape.m) | \(r.shape.n) | \(r.shape.k) | \(r.variant) | "
                + "\(r.path.map(\.description) ?? "openblas") | \(fmt(r.kernelGOPS, 1)) | "
                + "\(r.endToEndGOPS.map { fmt($0, 1) } ?? "") | \(r.speedupOverSGEMM.map { fmt($0, 2) } ?? "") | "
                + "\(r.percentOfPeak.map { fmt($0, 1) } ?? "") |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per row: label,m,n,k,variant,path,threads,kernel_s,end_to_end_s,kernel_gops,
    /// end_to_end_gops,speedup_vs_sgemm,percent_of_peak,openblas_core.
    public func csv() -> String {
        var lines = ["label,m,n,k,variant,path,threads,kernel_s,end_to_end_s,kernel_gops,end_to_end_gops,speedup_vs_sgemm,percent_of_peak,openblas_core"]
        for r in rows {
            let fields: [String] = [
                r.shape.label, "\(r.shape.m)", "\(r.shape.n)", "\(r.shape.k)", r.variant,
                r.path.map(\.description) ?? "openblas", "\(r.threads)", "\(r.kernelSeconds)",
                r.endToEndSeconds.map { "\($0)" } ?? "", fmt(r.kernelGOPS, 3), r.endToEndGOPS.map { fmt($0, 3) } ?? "",
                r.speedupOverSGEMM.map { fmt($0, 4) } ?? "", r.percentOfPeak.map { fmt($0, 2) } ?? "", openBLASCore,
            ]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Fixed-point formatting without Foundation's locale-dependent String(format:).
func fmt(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    let whole = Int(rounded / scale)
    let frac = Int(rounded - Double(whole) * scale)
    let sign = value < 0 && rounded > 0 ? "-" : ""
    guard digits > 0 else { return sign + "\(whole)" }
    let fracText = String(frac)
    return sign + "\(whole)." + String(repeating: "0", count: digits - fracText.count) + fracText
}
