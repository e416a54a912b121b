#!/bin/sh
# Out-of-memory torture run (tests/torture/torture.py): every case of the sweep
# must exit 0/1 exactly as the clean run, or 2 "out of memory"; never crash
# (except the (case, N) pairs of known-libxml2.txt), never leave a temporary.
# Usage: tests/torture/run.sh BIN [--samples K] [--case NAME]... [--record]
exec python3 "$(dirname "$0")/torture.py" "$@"
