# bench/lib.sh - helpers shared by the benchmark scripts (sourced, POSIX sh).
#   measure NAME RUNS CMD...   runs CMD RUNS times; sets MED (median wall seconds) and RSS (max KiB)
#   ratio A B                  prints A/B with two decimals
#   mbps BYTES SECONDS         prints MB/s (10^6 bytes)
#   results_section TITLE      starts a section in bench/RESULTS.md (machine, date) once per run
BENCH_DIR=${BENCH_DIR:-bench/data}
RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}
CHUAN=${CHUAN:-build/chuan}
mkdir -p "$BENCH_DIR"

measure() {
    _name=$1; _runs=$2; shift 2
    _times=""; RSS=0
    _i=0
    while [ $_i -lt "$_runs" ]; do
        /usr/bin/time -f "%e %M" -o "$BENCH_DIR/.time" sh -c "$*" >/dev/null 2>"$BENCH_DIR/.err"
        _st=$?
        if [ $_st -gt 1 ]; then echo "bench: $_name exited $_st: $(tail -3 "$BENCH_DIR/.err")" >&2; fi
        read -r _t _m < "$BENCH_DIR/.time"
        _times="$_times $_t"
        [ "$_m" -gt "$RSS" ] && RSS=$_m
        _i=$((_i + 1))
    done
    MED=$(printf '%s\n' $_times | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    printf '  %-46s %8.2f s  %8d KiB\n' "$_name" "$MED" "$RSS" >&2
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
mbps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / 1e6 / s; else print "inf" }'; }
fsize() { wc -c < "$1" | tr -d ' '; }

results_header() {
    if [ -z "${_RESULTS_STARTED:-}" ]; then
        _RESULTS_STARTED=1
        {
            echo
            echo "## Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
            echo
            echo "chuan $(git rev-parse --short HEAD 2>/dev/null), $(xmllint --version 2>&1 | head -1)"
        } >> "$RESULTS"
    fi
}
