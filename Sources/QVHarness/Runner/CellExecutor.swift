/// Executes cells. Implemented by the lead's method/model layer; the harness only plans, caches,
/// schedules and reports. Implementations must be safe to call from several worker threads at once.
public protocol CellExecutor: Sendable {
    /// Keys of the inputs a configuration consumes (teacher checkpoint hash, data version …). Called
    /// once per cell while planning, before anything runs; must be cheap and deterministic.
    func inputs(for configuration: CellConfiguration) throws -> CellInputs

    /// Runs one cell. `directory` exists and is the cell's own: write artefacts there (paths in the
    /// result are relative to it). It may hold a previous, interrupted attempt's files: resume from
    /// them or start over. `progress` takes a short status line ("QAT step 120/200, loss 0.031").
    func run(_ cell: Cell, directory: String, progress: (String) -> Void) throws -> CellResult
}
