import Foundation
import Testing
@testable import QVHarness

/// Kills itself with SIGKILL in the middle of its `killAt`-th cell (after writing a partial file).
struct SuicidalExecutor: CellExecutor {
    let killAt: Int
    let counter = Counter()

    final class Counter: @unchecked Sendable {
        // Only touched under `lock`.
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
    }

    func inputs(for configuration: CellConfiguration) throws -> CellInputs { try FakeExecutor().inputs(for: configuration) }

    func run(_ cell: Cell, directory: String, progress: (String) -> Void) throws -> CellResult {
        try Data("partial".utf8).write(to: URL(fileURLWithPath: directory + "/checkpoint.bin"))
        if counter.next() == killAt { kill(getpid(), SIGKILL) }
        return CellResult(metrics: FakeExecutor.metrics(cell.configuration))
    }
}

@Suite struct KillTests {
    static let childVariable = "QVHARNESS_KILL_CHILD_ROOT"

    /// Runs the small suite in a child process (this test binary, this test, in child mode) that is
    /// killed with SIGKILL during its fourth cell; a rerun then finishes exactly the unfinished cells.
    @Test func killNineThenRerunResumes() throws {
        let suite = try smallSuite()
        if let root = ProcessInfo.processInfo.environment[Self.childVariable] {
            // Child role: never returns normally.
            _ = try SuiteRunner(executor: SuicidalExecutor(killAt: 4)).run(suite, options: RunOptions(
                jobs: 1, runsRoot: root + "/runs", reportsRoot: root + "/reports", showProgress: false))
            Issue.record("the child was not killed")
            return
        }
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--filter", "killNineThenRerunResumes", "--testing-library", "swift-testing"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: root]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning && Date() < deadline { usleep(20_000) }
        if child.isRunning { child.terminate() }
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)

        let cells = try CellPlanner.cells(of: suite, executor: FakeExecutor())
        let cache = CellCache(runsRoot: root + "/runs", suite: "small")
        let done = cells.filter { cache.record($0.key) != nil }.map(\.key)
        #expect(done == Array(cells.prefix(3).map(\.key)), "three cells finished before the kill")
        #expect(!Files.exists(root + "/reports/small/results.csv"))

        let executor = FakeExecutor()
        let rerun = try SuiteRunner(executor: executor).run(suite, options: RunOptions(
            jobs: 2, runsRoot: root + "/runs", reportsRoot: root + "/reports", showProgress: false))
        #expect(Set(executor.ranKeys) == Set(cells.dropFirst(3).map(\.key)))
        #expect(executor.filesSeen(cells[3].key).contains("checkpoint.bin"), "the killed cell's directory is handed back")
        #expect(rerun.records.count == 10 && rerun.failures.isEmpty)
    }
}
