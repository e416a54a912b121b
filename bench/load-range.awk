# bench/load-range.awk - the range of the 1-minute load average over a results file's tables
# (its "Load average A B C before, D E F after" lines), for the summary line of bench/RESULTS.md
# that bench/readme.sh copies into README.md: prints "MIN-MAX", or "?" when there is none.
/^Load average / {
    for (i = 3; i <= 7; i += 4) {
        v = $i + 0
        if (n == 0 || v < lo) lo = v
        if (n == 0 || v > hi) hi = v
        n++
    }
}
END { if (n) printf "%.2f-%.2f\n", lo, hi; else print "?" }
