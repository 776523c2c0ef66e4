#!/usr/bin/env bash
# The README's main command (`make run`): setup, build, regenerate the default `quick` suite into reports/quick/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/blas-env.sh
swift build -c release --product qvbench
.build/release/qvbench run quick
