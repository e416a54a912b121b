#!/bin/sh
# bench/xlsx.sh [--quick] - workload W11 of bench/bench.sh on its own: a large XLSX to NDJSON and
# CSV, chuan against python3-openpyxl's read-only mode (the nearest peer packaged in Debian),
# interleaved, every row of both outputs checked, peak RSS of both, at N_BIG (100,000) and N_HUGE
# (1,000,000) rows; the same environment as bench/bench.sh. Writes bench/RESULTS-xlsx.md (or
# BENCH_RESULTS). `make bench` runs W11 with the other workloads into bench/RESULTS.md.
cd "$(dirname "$0")/.." || exit 2
BENCH_ONLY=W11 BENCH_RESULTS=${BENCH_RESULTS:-bench/RESULTS-xlsx.md} exec sh bench/bench.sh "$@"
