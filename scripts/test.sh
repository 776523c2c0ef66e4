#!/usr/bin/env bash
# The README's test command (`make test`): setup, build, unit tests, then the `ci` suite gated
# against the committed baseline reports/ci/results.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/blas-env.sh
swift build -c release -Xswiftc -enable-testing --build-tests
# Single-threaded BLAS: the suite runs tests in parallel, and OpenBLAS's own threading splits sums
# differently under load, which would break the bit-exact resume/determinism tests.
OPENBLAS_NUM_THREADS=1 swift test -c release -Xswiftc -enable-testing --skip-build

if [ -f reports/ci/results.csv ] && [ -f fixtures/teachers/wan-xs.safetensors ]; then
  baseline=$(mktemp)
  cp reports/ci/results.csv "$baseline"
  .build/release/qvbench run ci
  .build/release/qvbench gate reports/ci/results.csv --against "$baseline"
  rm -f "$baseline"
else
  echo "test.sh: no committed CI baseline (reports/ci/results.csv) or xs teachers yet; skipping the ci suite gate" >&2
fi
