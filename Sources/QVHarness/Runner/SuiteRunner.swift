import Foundation

/// How a run is carried out.
public struct RunOptions: Sendable {
    /// Parallel workers (`--jobs`); default: the number of cores.
    public var jobs: Int
    public var selection: CellSelection
    /// Cache root (`runs/`).
    public var runsRoot: String
    /// Reports root (`reports/`).
    public var reportsRoot: String
    /// Draw the progress line on standard error.
    public var showProgress: Bool

    public init(jobs: Int = ProcessInfo.processInfo.activeProcessorCount, selection: CellSelection = .all,
                runsRoot: String = "runs", reportsRoot: String = "reports", showProgress: Bool = true) {
        self.jobs = max(1, jobs)
        self.selection = selection
        self.runsRoot = runsRoot
        self.reportsRoot = reportsRoot
        self.showProgress = showProgress
    }
}

/// What a run did.
public struct RunSummary: Sendable {
    public var suite: String
    /// Every cell of the suite, in suite order.
    public var cells: [Cell]
    /// Keys the selection asked for (unique).
    public var selectedKeys: [String]
    /// Keys executed in this run and finished.
    public var executedKeys: [String]
    /// Keys found finished in the cache and not recomputed.
    public var reusedKeys: [String]
    public var failures: [CellFailure]
    /// Every finished record of the suite's cells (selected or not), by key.
    public var records: [String: CellRecord]
    public var wallSeconds: Double
    /// The results file written (`reports/<suite>/results.csv`, or a shard file).
    public var resultsPath: String
    /// Non-zero when a selected cell failed.
    public var exitCode: Int32 { failures.isEmpty ? 0 : 1 }

    /// "quick: 14 selected cells, 3 run, 11 from the cache, 0 failed in 1m02s; results in …", then one
    /// line per failure.
    public var text: String {
        var out = "\(suite): \(selectedKeys.count) selected cells, \(executedKeys.count) run, \(reusedKeys.count) from the cache, "
            + "\(failures.count) failed in \(formatDuration(wallSeconds)); results in \(resultsPath)\n"
        for f in failures { out += "FAILED \(f.title) (\(f.key.prefix(12))): \(f.reason)\n" }
        return out
    }
}

/// Plans a suite's cells, runs the unfinished selected ones on N workers, and writes results.csv.
/// Without a shard, results.csv holds every suite cell finished in the cache (so `--only` runs
/// accumulate); a shard writes `reports/<suite>/shards/results-<i>-of-<n>.csv` with its own cells.
public struct SuiteRunner: Sendable {
    public let executor: CellExecutor

    public init(executor: CellExecutor) { self.executor = executor }

    public func run(_ suite: Suite, options: RunOptions = RunOptions()) throws -> RunSummary {
        let start = Stopwatch.now()
        let cache = CellCache(runsRoot: options.runsRoot, suite: suite.name)
        let cells = try CellPlanner.cells(of: suite, executor: executor)
        let selected = options.selection.apply(cells)
        if selected.isEmpty && !(options.selection.only.isEmpty && options.selection.filters.isEmpty) {
            throw HarnessError.invalid("no cell of suite '\(suite.name)' matches --only \(options.selection.only.joined(separator: ",")) "
                                       + "\(options.selection.filters.map { "\($0.field)=\($0.value)" }.joined(separator: " ")); "
                                       + "rows: \(suite.rows.map(\.label).joined(separator: " | ")); groups: \(suite.groups.map(\.name).joined(separator: ", "))")
        }
        var unique: [Cell] = []
        var seen = Set<String>()
        for cell in selected where seen.insert(cell.key).inserted { unique.append(cell) }

        var records: [String: CellRecord] = [:]
        var pending: [Cell] = []
        for cell in unique {
            if case let .done(record) = cache.state(of: cell.key) { records[cell.key] = record } else { pending.append(cell) }
        }
        let reused = unique.map(\.key).filter { records[$0] != nil }

        let pool = WorkerPool(cells: pending, cache: cache, executor: executor,
                              progress: options.showProgress ? ProgressLine("\(suite.name) cells", total: pending.count) : nil)
        pool.run(workers: min(options.jobs, max(pending.count, 1)))
        for (key, record) in pool.finished { records[key] = record }

        // Finished cells of the rest of the suite (earlier --only runs) join an unsharded report.
        if options.selection.shard == nil {
            for cell in cells where records[cell.key] == nil {
                if let record = cache.record(cell.key) { records[cell.key] = record }
            }
        }
        let reportCells = options.selection.shard == nil ? cells : selected
        let table = ResultsTable(cells: reportCells, records: records)
        let reportDir = (options.reportsRoot as NSString).appendingPathComponent(suite.name)
        let resultsPath: String
        if let shard = options.selection.shard {
            resultsPath = "\(reportDir)/shards/results-\(shard.index)-of-\(shard.count).csv"
        } else {
            resultsPath = "\(reportDir)/results.csv"
        }
        try table.write(to: resultsPath)
        return RunSummary(suite: suite.name, cells: cells, selectedKeys: unique.map(\.key),
                          executedKeys: pool.finished.map(\.key), reusedKeys: reused,
                          failures: pool.failures.sorted { $0.title < $1.title }, records: records,
                          wallSeconds: Stopwatch.now() - start, resultsPath: resultsPath)
    }
}

/// The worker threads of one run and their shared, lock-protected bookkeeping.
final class WorkerPool: @unchecked Sendable {
    // All mutable state below is read and written only while holding `lock`.
    private let lock = NSLock()
    private let cells: [Cell]
    private let cache: CellCache
    private let executor: CellExecutor
    private let progress: ProgressLine?
    private var next = 0
    private var done = 0
    private var status: [String: String] = [:]
    private(set) var finished: [(key: String, record: CellRecord)] = []
    private(set) var failures: [CellFailure] = []

    init(cells: [Cell], cache: CellCache, executor: CellExecutor, progress: ProgressLine?) {
        self.cells = cells
        self.cache = cache
        self.executor = executor
        self.progress = progress
    }

    func run(workers: Int) {
        guard !cells.isEmpty else { return }
        progress?.update(0, "starting \(cells.count) cells on \(workers) workers")
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                while let cell = take() { execute(cell) }
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
    }

    private func take() -> Cell? {
        lock.lock(); defer { lock.unlock() }
        guard next < cells.count else { return nil }
        next += 1
        return cells[next - 1]
    }

    private func execute(_ cell: Cell) {
        let title = cell.title
        report(cell.key, title: title, "started")
        let started = Stopwatch.now()
        do {
            let dir = try cache.prepare(cell.key)
            cache.log(cell.key, "start \(title) key \(cell.key)")
            let result = try executor.run(cell, directory: dir) { line in
                cache.log(cell.key, line)
                report(cell.key, title: title, line)
            }
            let record = CellRecord(key: cell.key, configuration: cell.configuration, inputs: cell.inputs, result: result,
                                    wallSeconds: Stopwatch.now() - started, finished: CellCache.timestamp())
            try cache.writeResult(record)
            cache.log(cell.key, String(format: "done in %.1f s", record.wallSeconds))
            complete(cell.key, record: record, failure: nil)
        } catch {
            let failure = CellFailure(key: cell.key, title: title, reason: "\(error)", finished: CellCache.timestamp())
            try? cache.writeFailure(failure)
            cache.log(cell.key, "FAILED: \(error)")
            complete(cell.key, record: nil, failure: failure)
        }
    }

    private func report(_ key: String, title: String, _ line: String) {
        lock.lock()
        status[key] = "\(title): \(line)"
        let text = status.keys.sorted().map { status[$0]! }.joined(separator: " | ")
        let count = done
        lock.unlock()
        progress?.update(count, String(text.prefix(160)))
    }

    private func complete(_ key: String, record: CellRecord?, failure: CellFailure?) {
        lock.lock()
        status[key] = nil
        done += 1
        if let record { finished.append((key, record)) }
        if let failure { failures.append(failure) }
        let count = done, text = status.values.sorted().joined(separator: " | ")
        let failedNote = failures.isEmpty ? "" : "\(failures.count) failed; "
        lock.unlock()
        progress?.update(count, failedNote + String(text.prefix(160)))
    }
}
