# bench/lib.sh - helpers shared by the benchmark scripts (sourced, POSIX sh).
#   measure NAME RUNS CMD...   runs CMD RUNS times; sets MED (median wall seconds) and RSS (max KiB)
#   ratio A B                  prints A/B with two decimals
#   mbps BYTES SECONDS         prints MB/s (10^6 bytes)
#   results_section TITLE      starts a section in bench/RESULTS.md (machine, date) once per run
BENCH_DIR=${BENCH_DIR:-bench/data}
RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}
CHUAN=${CHUAN:-build/chuan}
# TIMEIT OUT CMD...: the wall, user and system seconds and the peak RSS (KiB) of CMD into OUT, at
# microsecond resolution (bench/timeit.c, built by make bench); /usr/bin/time rounds to 10 ms.
TIMEIT=${TIMEIT:-build/timeit}
[ -x "$TIMEIT" ] || make -s "$TIMEIT" >&2 || { echo "bench: cannot build $TIMEIT" >&2; exit 2; }
mkdir -p "$BENCH_DIR"

measure() {
    _name=$1; _runs=$2; shift 2
    _times=""; RSS=0
    _i=0
    while [ $_i -lt "$_runs" ]; do
        "$TIMEIT" "$BENCH_DIR/.time" sh -c "$*" >/dev/null 2>"$BENCH_DIR/.err"
        _st=$?
        if [ $_st -gt 1 ]; then echo "bench: $_name exited $_st: $(tail -3 "$BENCH_DIR/.err")" >&2; fi
        read -r _t _u _s _m < "$BENCH_DIR/.time"
        _times="$_times $_t"
        [ "$_m" -gt "$RSS" ] && RSS=$_m
        _i=$((_i + 1))
    done
    MED=$(median $_times)
    printf '  %-46s %8.3f s  %8d KiB\n' "$_name" "$MED" "$RSS" >&2
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

# ---- bench/bench.sh: interleaved workloads, one results file per run ----------------------
#   results_start / results_end      start bench/RESULTS(.md) afresh, close it with the summary
#   table_start TITLE DESCRIPTION    a workload's section: machine, load before
#   interleave NAME L1 C1 [L2 C2...] runs C1 C2 ... C1 C2 ... ($ROUNDS rounds); sets NCMD,
#                                    T_i (median wall s), U_i (median CPU s), M_i (max RSS KiB),
#                                    S_i (exit status of the last round), L_i (label)
#   row I BYTES RECORDS [REF]        a table row for command I (speed-up against command REF)
#   save_row KEY I BYTES RECORDS [REF]  keep that row's figures (a peer capped at a smaller size)
#   saved_row KEY LABEL              the kept row again, under LABEL, in a later table (status 1:
#                                    nothing kept under KEY)
#   table_end NOTE                   load after, the correctness checks, a closing note
#   summary JOB CHUAN PEERS RESULT   a row of the summary table (copied into README.md)
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
kib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.4g\n", (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
cpu_model() { awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

results_start() {
    SUMMARY=""
    {
        echo "# Benchmark results"
        echo
        echo "Written by \`bench/bench.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'): chuan"
        echo "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (with local changes)'),"
        echo "$(nproc) cores ($(cpu_model)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)."
        echo "Each workload runs chuan and its peers interleaved (A B A B ...) on the same data, for the"
        echo "rounds its part states; times are medians (wall seconds; CPU = user + system), RSS the"
        echo "maximum over the rounds. The load average is recorded before and after every table."
        echo "Older runs: bench/history/."
    } > "$BENCH_RESULTS.tmp"
}

table_start() {
    LOAD0=$(loadavg)
    CHECKS=""
    {
        echo
        echo "### $1"
        echo
        echo "$2."
        echo
        echo "| tool | wall (s) | CPU (s) | MB/s | records/s | peak RSS | speed-up of chuan |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
    } >> "$BENCH_RESULTS.tmp"
}

interleave() {
    _w=$1; shift
    NCMD=0
    while [ $# -ge 2 ]; do
        NCMD=$((NCMD + 1))
        eval "L_$NCMD=\$1; CMD_$NCMD=\$2; W_$NCMD=''; UC_$NCMD=''; M_$NCMD=0; S_$NCMD=0"
        shift 2
    done
    _r=1
    while [ $_r -le "$ROUNDS" ]; do
        # BEFORE_ROUND (optional): a command run, untimed, at the start of every round (W3
        # removes the outputs, so each round writes new files the way round 1 does)
        [ -n "${BEFORE_ROUND:-}" ] && sh -c "$BEFORE_ROUND"
        _i=1
        while [ $_i -le $NCMD ]; do
            eval "_cmd=\$CMD_$_i; _lab=\$L_$_i"
            "$TIMEIT" "$BENCH_DIR/.time" sh -c "$_cmd" >/dev/null 2>"$BENCH_DIR/.err"
            _st=$?
            read -r _e _u _s _m < "$BENCH_DIR/.time"
            _c=$(awk -v u="$_u" -v s="$_s" 'BEGIN { print u + s }')
            eval "W_$_i=\"\$W_$_i $_e\"; UC_$_i=\"\$UC_$_i $_c\"; S_$_i=$_st"
            eval "[ $_m -gt \$M_$_i ] && M_$_i=$_m"
            [ $_st -gt 1 ] && echo "bench: $_w: '$_lab' exited $_st: $(tail -2 "$BENCH_DIR/.err")" >&2
            printf '  %s round %d: %-40s %8.3f s\n' "$_w" "$_r" "$_lab" "$_e" >&2
            _i=$((_i + 1))
        done
        _r=$((_r + 1))
    done
    _i=1
    while [ $_i -le $NCMD ]; do
        eval "T_$_i=\$(median \$W_$_i); U_$_i=\$(median \$UC_$_i)"
        _i=$((_i + 1))
    done
}

row_fields() { # I BYTES RECORDS [REF]: the row's cells after the label
    eval "_t=\$T_$1; _u=\$U_$1; _m=\$M_$1"
    _sp=""
    [ -n "${4:-}" ] && eval "_sp=\$(ratio \$T_$1 \$T_$4)x"
    printf '%s | %s | %s | %s | %s | %s |' "$_t" "$_u" "$(mbps "$2" "$_t")" \
        "$(awk -v n="$3" -v s="$_t" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }')" \
        "$(kib "$_m")" "$_sp"
}

row() {
    eval "_l=\$L_$1"
    printf '| %s | %s\n' "$_l" "$(row_fields "$@")" >> "$BENCH_RESULTS.tmp"
}

save_row() {
    _k=$1; shift
    eval "SAVED_$_k=\$(row_fields \"\$@\"); SAVEDT_$_k=\$T_$1; SAVEDM_$_k=\$M_$1"
}

saved_row() {
    eval "_v=\${SAVED_$1:-}"
    [ -n "$_v" ] || return 1
    printf '| %s | %s\n' "$2" "$_v" >> "$BENCH_RESULTS.tmp"
}

table_end() {
    {
        echo
        echo "Load average $LOAD0 before, $(loadavg) after; CPU: $(cpu_model)."
        [ -n "$CHECKS" ] && { echo "Checks:"; echo; printf '%s' "$CHECKS"; }
        echo
        echo "$1."
    } >> "$BENCH_RESULTS.tmp"
}

summary() {
    SUMMARY="$SUMMARY| $1 | $2 | $3 | $4 |
"
}

results_end() {
    {
        echo
        echo "## Summary"
        echo
        echo "<!-- bench:summary:begin -->"
        echo "| job | chuan | peers | result |"
        echo "|---|---|---|---|"
        printf '%s' "$SUMMARY"
        echo
        echo "From \`bench/bench.sh\` on $(date -u '+%Y-%m-%d') with ${SUMMARY_SIZES:-?}, interleaved, $(nproc) cores ($(cpu_model)); 1-minute load average $(awk -f bench/load-range.awk "$BENCH_RESULTS.tmp") across the tables; load and checks per table in $BENCH_RESULTS."
        echo "<!-- bench:summary:end -->"
    } >> "$BENCH_RESULTS.tmp"
    mv "$BENCH_RESULTS.tmp" "$BENCH_RESULTS"
    echo "bench: results in $BENCH_RESULTS" >&2
}
