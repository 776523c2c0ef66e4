#!/usr/bin/env bash
# The README's main command: setup, build, run the default job.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product qvbench
.build/release/qvbench demo
