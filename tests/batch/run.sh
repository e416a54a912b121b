#!/bin/sh
# Properties of `chuan convert` in batch mode (README.md, "Batch conversion"):
#   invariant  every input record is in exactly one of output and rejects (count and content)
#   chunks     -j 1, -j 2 and tiny chunks give the same bytes as the sequential reader, and count
#              every record
#   resume     kill -9 at random moments, rerun with --resume: byte-identical to a clean run
#   writes     a full device, an output folder that cannot be made: exit 2, no partial file
#   outdir     nothing is written outside --out-dir (symbolic links, "..")
#   same -o    two runs writing one output at once: it ends as one clean output, never a mix
#   signals    SIGINT/SIGTERM/SIGHUP: exit 130/143/129, no temporary file left
#   resume     after a failed run or a truncated output, --resume redoes what no journal proves
#   memory     -j 2 under ulimit -v falls back to fewer workers instead of failing
#   parallel   GNU parallel --pipe (NDJSON, CSV with quoted newlines) equals one process
#   xml stream XML --record records validated by several workers: same bytes as one
#   csv union  heterogeneous NDJSON -> CSV: every record written, -j 2/stdin = -j 1, reads back
# Appends "batch passed failed" to $RESULTS/batch. Usage: tests/batch/run.sh BIN
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(pwd)
T=$(mktemp -d /tmp/chuan-batch.XXXXXX)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0; failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL batch: $*"; }
check() { # name command...: passes when the command succeeds
    name=$1; shift
    if "$@"; then pass; else fail "$name"; fi
}
schema=$root/bench/gen/hoso.schema.json
py() { python3 "$@"; }

# ------------------------------------------------------------------ data
python3 "$root/bench/gen/records.py" --format ndjson --count 3000 --seed 11 > "$T/gen.ndjson"
py - "$T" <<'EOF'
import json, random, sys
T = sys.argv[1]
random.seed(5)
out = []
for i, l in enumerate(open(T + '/gen.ndjson', encoding='utf-8').read().splitlines()):
    if i % 97 == 5:                      # fails the schema
        d = json.loads(l); d['MaHoSo'] = 12345; l = json.dumps(d, ensure_ascii=False)
    if i % 211 == 7:                     # not JSON at all
        l = l[:-5]
    if i % 1000 == 0:
        out.append('')                   # blank lines are not records
    out.append(l)
open(T + '/in.ndjson', 'w', encoding='utf-8').write('\n'.join(out) + '\n')
# CSV with quoted newlines, CRLF then LF line ends, stray quotes, ragged rows, blank lines
rows, expect = ['id,ten,ghi_chu,so'], 0
for i in range(8000):
    k = random.random()
    note = ('"dòng một\ndòng hai, có ""ngoặc"""' if k < 0.1 else '"a\r\nb"' if k < 0.15 else
            'bad"quote' if k < 0.16 else '' if k < 0.2 else 'ghi chú %d' % i)
    so = str(random.randint(0, 10**6)) if random.random() > 0.02 else 'x%d' % i
    rows.append('%d,Nguyễn Văn %d,%s,%s' % (i, i, note, so)); expect += 1
    if i % 3000 == 0: rows.append('')
    if i % 777 == 0: rows.append('1,2'); expect += 1
open(T + '/in.csv', 'w', encoding='utf-8', newline='').write(
    '\r\n'.join(rows[:4000]) + '\r\n' + '\n'.join(rows[4000:]) + '\n')
open(T + '/in.csv.count', 'w').write(str(expect))
json.dump({"type": "object", "properties": {"so": {"type": "string", "pattern": "^[0-9]+$"}},
           "required": ["id", "so"]}, open(T + '/row.schema.json', 'w'))
EOF

# ------------------------------------------------------------- invariant
"$bin" convert --to ndjson --schema "$schema" -j 2 -q "$T/in.ndjson" -o "$T/n.ndjson" 2>/dev/null
check "invariant: NDJSON exit 1 with rejects" [ $? = 1 ]
check "invariant: NDJSON output + rejects = input (count and content)" py - "$T/in.ndjson" \
    "$T/n.ndjson" "$T/n.ndjson.rejects.ndjson" <<'EOF'
import json, sys
inp = [l for l in open(sys.argv[1], encoding='utf-8').read().split('\n') if l.strip()]
out = open(sys.argv[2], encoding='utf-8').read().splitlines()
rej = [json.loads(l) for l in open(sys.argv[3], encoding='utf-8')]
oi = ri = 0
for line in inp:
    if ri < len(rej) and rej[ri]['record'] == line:
        assert rej[ri]['diagnostics'], rej[ri]
        ri += 1
    else:
        assert oi < len(out) and json.loads(out[oi]) == json.loads(line), line[:80]
        oi += 1
assert oi == len(out) and ri == len(rej) and ri > 0, (oi, len(out), ri, len(rej))
EOF
CHUAN_BATCH_CHUNK_KB=8 "$bin" convert --to ndjson --schema "$T/row.schema.json" -j 2 -q "$T/in.csv" \
    -o "$T/c.ndjson" 2>/dev/null
check "invariant: CSV exit 1 with rejects" [ $? = 1 ]
check "invariant: CSV output + rejects = input records" py - "$T/in.csv" "$T/c.ndjson" \
    "$T/c.ndjson.rejects.ndjson" "$(cat "$T/in.csv.count")" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding='utf-8', newline='').read()
out = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
rej = [json.loads(l) for l in open(sys.argv[3], encoding='utf-8')]
assert len(out) + len(rej) == int(sys.argv[4]), (len(out), len(rej), sys.argv[4])
pos = 0
for r in rej:                      # each reject is the original text, in input order
    at = text.find(r['record'], pos)
    assert at >= 0 and r['diagnostics'], r
    pos = at + len(r['record'])
for o in out:
    assert o['so'].isdigit() and 'id' in o, o
EOF

# ---------------------------------------------------------------- chunks
cat "$T/in.csv" | "$bin" convert --to ndjson 2>"$T/seq.err" > "$T/seq.ndjson"
sed 's/^[^:]*://' "$T/seq.err" > "$T/seq.diags"
for j in 1 2; do
    for kb in 4 1024; do
        CHUAN_BATCH_CHUNK_KB=$kb "$bin" convert --to ndjson -j $j -q "$T/in.csv" -o "$T/j.ndjson" \
            2>"$T/j.err"
        check "chunks: CSV -j $j, $kb KiB chunks = sequential reader" cmp -s "$T/j.ndjson" "$T/seq.ndjson"
        grep -v '^[0-9]* record' "$T/j.err" | sed 's/^[^:]*://' > "$T/j.diags"
        check "chunks: CSV -j $j, $kb KiB chunks: same diagnostics (lines, rows)" \
            cmp -s "$T/j.diags" "$T/seq.diags"
    done
done

# rows the workers write straight into their output (chuanp_csv_reader_json_rows) are counted
# like the others: the records line = the input's records, output lines + rejects
for j in 1 2; do
    CHUAN_BATCH_CHUNK_KB=4 "$bin" convert --to ndjson -j $j "$T/in.csv" -o "$T/k.ndjson" \
        --rejects "$T/k.rej.ndjson" 2>"$T/k.err"
    nout=$(wc -l < "$T/k.ndjson" | tr -d ' '); nrej=$(wc -l < "$T/k.rej.ndjson" | tr -d ' ')
    check "chunks: CSV -j $j: the records line counts every record" \
        grep -q "^$(cat "$T/in.csv.count") records: $nout converted, $nrej rejected" "$T/k.err"
done

# ------------------------------------------------------------ xml stream
# XML with --record and a standard: with -j 2 the records go to the workers
# in chunks of 256; output, rejects and diagnostics equal -j 1's
python3 "$root/bench/gen/records.py" --format xml --count 1200 --seed 13 > "$T/gen.xml"
py - "$T" <<'EOF'
import random, re, sys
T = sys.argv[1]
random.seed(9)
parts = open(T + '/gen.xml', encoding='utf-8').read().split('<HoSo>')
out = [parts[0]]
for p in parts[1:]:
    k = random.random()
    if k < 0.05:
        p = re.sub(r'<MaTTHC>[^<]*</MaTTHC>', '', p, count=1)              # a required field missing
    elif k < 0.08:
        p = re.sub(r'<LoaiDoiTuong>[^<]*<', '<LoaiDoiTuong>9<', p, count=1)  # not in the code list
    elif k < 0.10:
        p = p.replace('<MaHoSo>', '<MaHoSo>X', 1)                         # a warning only
    out.append(p)
open(T + '/hoso.xml', 'w', encoding='utf-8').write('<HoSo>'.join(out))
EOF
for to in ndjson csv; do
    for j in 1 2; do
        "$bin" convert -s dvc-hoso --to $to -j $j -o "$T/x$j.$to" --rejects "$T/x$j.$to.rej" \
            "$T/hoso.xml" 2>"$T/x$j.err"
        echo $? > "$T/x$j.status"
    done
    check "xml stream: -j 2 = -j 1 ($to output)" cmp -s "$T/x1.$to" "$T/x2.$to"
    check "xml stream: -j 2 = -j 1 ($to rejects)" cmp -s "$T/x1.$to.rej" "$T/x2.$to.rej"
    check "xml stream: -j 2 = -j 1 ($to diagnostics, exit status)" \
        sh -c 'cmp -s "$1/x1.err" "$1/x2.err" && cmp -s "$1/x1.status" "$1/x2.status"' sh "$T"
done
check "xml stream: every record in output or rejects" py - "$T" <<'EOF'
import json, sys
T = sys.argv[1]
out = sum(1 for _ in open(T + '/x2.ndjson', encoding='utf-8'))
rej = [json.loads(l) for l in open(T + '/x2.ndjson.rej', encoding='utf-8')]
assert out + len(rej) == 1200 and 0 < len(rej) < 200, (out, len(rej))
assert all(r['diagnostics'] and r['line'] > 0 for r in rej)
EOF

# -------------------------------------------------------------- encoding
vnencode=$(dirname "$bin")/vnencode
if [ -x "$vnencode" ]; then
    for enc in vni viscii cp1258; do
        "$vnencode" $enc < "$T/in.csv" > "$T/legacy.csv" 2>/dev/null
        CHUAN_BATCH_CHUNK_KB=16 "$bin" convert --to ndjson -j 2 -q "$T/legacy.csv" -o "$T/legacy.ndjson" \
            2>/dev/null
        check "encoding: $enc CSV (detected, chunked) = the UTF-8 original" cmp -s "$T/legacy.ndjson" "$T/seq.ndjson"
    done
else
    fail "encoding: $vnencode not built (make $vnencode)"
fi

# ---------------------------------------------------------------- resume
cp "$T/in.ndjson" "$T/big.ndjson"
conv() { CHUAN_BATCH_CHUNK_KB=64 "$bin" convert --to ndjson --schema "$schema" -j 2 -q "$@"; }
conv "$T/big.ndjson" -o "$T/clean.ndjson" 2>/dev/null
start=$(date +%s%N)
conv "$T/big.ndjson" -o "$T/clean2.ndjson" 2>/dev/null
span=$((($(date +%s%N) - start) / 1000000)) # ms of one run
[ "$span" -gt 50 ] || span=50
runs=20; bad=0
i=0
while [ $i -lt $runs ]; do
    i=$((i + 1))
    rm -f "$T"/r.ndjson*
    kills=$((1 + i % 3))        # one to three kills before the run that finishes
    k=0
    while [ $k -lt $kills ]; do
        k=$((k + 1))
        # started directly (not through conv) so that $! is chuan itself, the process killed
        CHUAN_BATCH_CHUNK_KB=64 "$bin" convert --to ndjson --schema "$schema" -j 2 -q --resume \
            "$T/big.ndjson" -o "$T/r.ndjson" 2>/dev/null &
        pid=$!
        delay=$(awk -v s="$i$k" -v span="$span" 'BEGIN { srand(s); printf "%.3f", rand() * span / 1000 }')
        sleep "$delay"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
    done
    conv --resume "$T/big.ndjson" -o "$T/r.ndjson" 2>/dev/null
    if ! cmp -s "$T/r.ndjson" "$T/clean.ndjson" ||
       ! cmp -s "$T/r.ndjson.rejects.ndjson" "$T/clean.ndjson.rejects.ndjson" ||
       ls "$T" | grep -q 'r\.ndjson.*chuan-'; then
        bad=$((bad + 1))
        echo "resume run $i (kills after up to ${span} ms) differs from the clean run:"
        ls -l "$T" | grep 'r\.ndjson'
        cmp "$T/r.ndjson" "$T/clean.ndjson"
        cmp "$T/r.ndjson.rejects.ndjson" "$T/clean.ndjson.rejects.ndjson"
    fi
done
check "resume: $runs runs killed with -9 at random moments, each resumed byte-identical" [ $bad = 0 ]
check "resume: a clean run is deterministic" cmp -s "$T/clean.ndjson" "$T/clean2.ndjson"
cp "$T/clean.ndjson" "$T/done.ndjson"
conv --resume "$T/big.ndjson" -o "$T/done.ndjson" 2>/dev/null
check "resume: a finished output is left as it is" cmp -s "$T/done.ndjson" "$T/clean.ndjson"

# ---------------------------------------------------------------- writes
"$bin" convert --to ndjson -q "$T/in.ndjson" -o /dev/full 2>"$T/full.err"
check "writes: -o /dev/full exits 2" [ $? = 2 ]
check "writes: -o /dev/full says why" grep -q 'No space left on device' "$T/full.err"
echo x > "$T/afile"
"$bin" convert --to ndjson -q "$T/in.ndjson" -o "$T/afile/out.ndjson" 2>/dev/null
check "writes: an output folder that is a file exits 2" [ $? = 2 ]
"$bin" convert --to ndjson -q --out-dir "$T/afile/sub" "$T/in.ndjson" 2>/dev/null
check "writes: an --out-dir that cannot be created exits 2" [ $? = 2 ]
mkdir -p "$T/small"
if mount -t tmpfs -o size=512k tmpfs "$T/small" 2>/dev/null; then
    "$bin" convert --to ndjson -q "$T/in.ndjson" -o "$T/small/out.ndjson" 2>"$T/small.err"
    st=$?
    left=$(ls -A "$T/small")
    umount "$T/small"
    check "writes: a full file system exits 2" [ $st = 2 ]
    check "writes: a full file system leaves no partial file" [ -z "$left" ]
else
    echo "note batch: cannot mount a small tmpfs here; the full-disk case runs on /dev/full only"
fi

# ---------------------------------------------------------------- outdir
mkdir -p "$T/tree/in/sub" "$T/tree/out" "$T/tree/outside"
head -50 "$T/gen.ndjson" > "$T/tree/in/a.ndjson"
head -20 "$T/gen.ndjson" > "$T/tree/in/sub/b.ndjson"
ln -s "$T/tree/outside" "$T/tree/out/sub"
"$bin" convert --to ndjson -q --out-dir "$T/tree/out" "$T/tree/in" 2>/dev/null
check "outdir: a symbolic link leading out of --out-dir is refused (exit 2)" [ $? = 2 ]
check "outdir: nothing written through the link" [ -z "$(ls -A "$T/tree/outside")" ]
rm "$T/tree/out/sub"
touch "$T/tree/marker"
sleep 1
"$bin" convert --to ndjson -q --out-dir "$T/tree/out" "$T/tree/in/sub/../a.ndjson" "$T/tree/in/sub/../sub" \
    2>/dev/null
check "outdir: inputs named with .. land inside --out-dir" \
    [ -f "$T/tree/out/a.ndjson" ] && [ -f "$T/tree/out/b.ndjson" ]
check "outdir: nothing else was written" \
    [ "$(cd "$T/tree" && find . -newer marker -type f | sort | tr '\n' ' ')" = "./out/a.ndjson ./out/b.ndjson " ]
"$bin" convert --to ndjson -q --out-dir "$T/tree/out2" "$T/tree/in/a.ndjson" "$T/tree/in/sub/../a.ndjson" \
    2>/dev/null
check "outdir: two inputs onto one output are refused (exit 2)" [ $? = 2 ]
cp "$T/tree/in/a.ndjson" "$T/tree/keep.ndjson"
"$bin" convert --to ndjson -q --out-dir "$T/tree/in" "$T/tree/in/a.ndjson" 2>/dev/null
check "outdir: an output onto its input is refused (exit 2)" [ $? = 2 ]
check "outdir: the input is unchanged" cmp -s "$T/tree/in/a.ndjson" "$T/tree/keep.ndjson"

# ----------------------------------------------------------------- same -o
# two runs, two inputs, one output (batch mode: --rejects): the output ends as
# exactly one of the two clean outputs (a second run is refused while the
# first holds the output, or runs after it), never a mix of both
# a long input and a short one started a moment later: the short one would
# finish first while the long one still writes
sed 's/"MaHoSo": "/"MaHoSo": "B/' "$T/gen.ndjson" | head -300 > "$T/other.ndjson"
same() { CHUAN_BATCH_CHUNK_KB=8 "$bin" convert --to ndjson -j 1 -q --rejects "$1.rej" "$2" -o "$1"; }
same "$T/sa.ndjson" "$T/gen.ndjson" 2>/dev/null
same "$T/sb.ndjson" "$T/other.ndjson" 2>/dev/null
mixed=0; refused=0; runs=4
i=0
while [ $i -lt $runs ]; do
    i=$((i + 1))
    rm -rf "$T/same"; mkdir "$T/same"
    same "$T/same/o.ndjson" "$T/gen.ndjson" 2>"$T/same/a.err" & pa=$!
    sleep 0.0$i
    same "$T/same/o.ndjson" "$T/other.ndjson" 2>"$T/same/b.err" & pb=$!
    wait $pa; sa=$?; wait $pb; sb=$?
    if [ $sa = 2 ] || [ $sb = 2 ]; then refused=$((refused + 1)); fi
    if ! cmp -s "$T/same/o.ndjson" "$T/sa.ndjson" && ! cmp -s "$T/same/o.ndjson" "$T/sb.ndjson"; then
        mixed=$((mixed + 1)); echo "same -o run $i: the output is neither clean output (exits $sa $sb)"
    fi
    if ls "$T/same" | grep -q 'chuan-'; then
        mixed=$((mixed + 1)); echo "same -o run $i: left $(ls "$T/same" | grep chuan- | tr '\n' ' ')"
    fi
    for e in a b; do
        if grep -q 'another chuan run' "$T/same/$e.err" && [ "$(grep -c . "$T/same/$e.err")" != 1 ]; then
            mixed=$((mixed + 1)); echo "same -o run $i: a refused run said more:"; cat "$T/same/$e.err"
        fi
    done
done
check "same -o: $runs pairs of runs on one output, each time exactly one clean output" [ $mixed = 0 ]
echo "note batch: same -o: the second run was refused (exit 2) in $refused of $runs pairs"

# ---------------------------------------------------------------- signals
# a conversion waiting for more input (a FIFO held open), then a signal:
# the conventional status and no temporary file left (journaled --resume
# part files and the journal are kept on purpose, for the rerun)
mkdir -p "$T/sig"
mkfifo "$T/sig/fifo"
for sig in INT TERM HUP; do
    for mode in plain batch resume; do
        case $mode in
        plain) extra="--to json"; want_left="";;
        batch) extra="--to ndjson --rejects $T/sig/r.ndjson"; want_left="";;
        resume) extra="--to ndjson --resume"
                want_left="o.out.chuan-journal o.out.chuan-part o.out.rejects.ndjson.chuan-part";;
        esac
        rm -f "$T/sig"/o.* "$T/sig"/r.*
        # env: the shell starts a background job with SIGINT ignored, and a run under nohup
        # inherits SIGHUP ignored (chuan then keeps it ignored, as it should)
        env --default-signal=INT,TERM,HUP "$bin" convert --from ndjson $extra -o "$T/sig/o.out" - \
            < "$T/sig/fifo" 2>/dev/null &
        pid=$!
        exec 3>"$T/sig/fifo"
        cat "$T/gen.ndjson" >&3 # more than the first read (64 KiB): the outputs are open
        k=0
        while [ $k -lt 100 ] && ! ls "$T/sig" | grep -q 'chuan-\(tmp\|part\)'; do
            sleep 0.05; k=$((k + 1))
        done
        kill -$sig $pid
        k=0
        while kill -0 $pid 2>/dev/null && [ $k -lt 100 ]; do sleep 0.05; k=$((k + 1)); done
        kill -9 $pid 2>/dev/null
        wait $pid; st=$?
        exec 3>&-
        case $sig in INT) want=130;; TERM) want=143;; HUP) want=129;; esac
        left=$(ls "$T/sig" | grep -v '^fifo$' | sed 's/\.[0-9]*-[0-9a-f]*$//' | sort | tr '\n' ' ')
        left=${left% }
        check "signals: SIG$sig ($mode) exits $want (got $st)" [ $st = $want ]
        check "signals: SIG$sig ($mode) leaves [$want_left] (left [$left])" [ "$left" = "$want_left" ]
    done
done

# ------------------------------------------------------- resume after failure
# --resume trusts only what a journal proves: an output left truncated by
# hand, or one that a failed run never finished, is converted again in full
head -c 100000 "$T/clean.ndjson" > "$T/cut.ndjson"
conv --resume "$T/big.ndjson" -o "$T/cut.ndjson" 2>/dev/null
check "resume: a truncated output (no journal) is converted again" cmp -s "$T/cut.ndjson" "$T/clean.ndjson"
mkdir -p "$T/tiny"
if mount -t tmpfs -o size=256k tmpfs "$T/tiny" 2>/dev/null; then
    conv --resume "$T/big.ndjson" -o "$T/tiny/out.ndjson" 2>/dev/null
    st=$?
    mount -o remount,size=64m "$T/tiny"
    conv --resume "$T/big.ndjson" -o "$T/tiny/out.ndjson" 2>/dev/null
    st2=$?
    cmp -s "$T/tiny/out.ndjson" "$T/clean.ndjson"; same_out=$?
    left=$(ls -A "$T/tiny" | grep -v '^out\.ndjson\(\.rejects\.ndjson\)\{0,1\}$')
    umount "$T/tiny"
    check "resume: a run on a full disk exits 2" [ $st = 2 ]
    check "resume: the rerun after the full disk gives the full output (exit $st2)" \
        [ $st2 = 1 ] && [ $same_out = 0 ]
    check "resume: nothing else is left after the rerun ($left)" [ -z "$left" ]
else
    echo "note batch: cannot mount a small tmpfs here; resume after a full disk not tested"
fi

# ---------------------------------------------------------------- memory
# under an address-space limit (ulimit -v) that leaves room for one worker,
# -j 2 falls back to fewer workers (a note) instead of failing
python3 "$root/bench/gen/records.py" --format ndjson --count 9000 --seed 3 > "$T/mid.ndjson"
lim=66000
(ulimit -v $lim && "$bin" convert --to ndjson -q -j 1 --schema "$schema" "$T/mid.ndjson" -o "$T/mem1.ndjson" 2>/dev/null)
st1=$?
if [ $st1 = 0 ]; then
    (ulimit -v $lim && "$bin" convert --to ndjson -j 2 --schema "$schema" "$T/mid.ndjson" -o "$T/mem2.ndjson" 2>"$T/mem2.err")
    check "memory: -j 2 under ulimit -v $lim (where -j 1 works) exits 0" [ $? = 0 ]
    check "memory: -j 2 under the limit gives -j 1's output" cmp -s "$T/mem1.ndjson" "$T/mem2.ndjson"
    check "memory: -j 2 under the limit says it used fewer workers" grep -q 'note: 1 worker instead of 2' "$T/mem2.err"
else
    echo "note batch: -j 1 does not run under ulimit -v $lim here (exit $st1); the fallback is not tested"
fi

# -------------------------------------------------------------- parallel
if command -v parallel >/dev/null 2>&1; then
    head -800 "$T/gen.ndjson" > "$T/p.ndjson"
    "$bin" convert --from ndjson --to ndjson -q < "$T/p.ndjson" > "$T/p1.ndjson"
    parallel --will-cite --pipe --keep-order -j 2 --block 200k \
        "$bin" convert --from ndjson --to ndjson -q < "$T/p.ndjson" > "$T/p2.ndjson"
    check "parallel: NDJSON under GNU parallel --pipe = one process" cmp -s "$T/p1.ndjson" "$T/p2.ndjson"
    check "parallel: the NDJSON output is not empty" [ -s "$T/p2.ndjson" ]
    grep -v 'bad"quote' "$T/in.csv" | grep -v '^1,2' | head -3000 > "$T/p.csv"
    "$bin" convert --from csv --to ndjson -q < "$T/p.csv" > "$T/pc1.ndjson"
    parallel --will-cite --pipe --csv --header : --keep-order -j 2 --block 200k \
        "$bin" convert --from csv --to ndjson -q < "$T/p.csv" > "$T/pc2.ndjson"
    check "parallel: CSV (quoted newlines, header per block) under GNU parallel = one process" \
        cmp -s "$T/pc1.ndjson" "$T/pc2.ndjson"
else
    fail "parallel: GNU parallel is not installed (scripts/install-deps.sh installs it)"
fi

# ------------------------------------------------------- csv union
# Heterogeneous records (optional keys, lists of different lengths, "" vs missing vs null):
# the CSV header is the union from a first pass, so every record is written, whatever the
# number of workers or chunks, from a file or standard input; with --csv-null it reads back exact.
py - "$T" <<'EOF'
import json, random, sys
random.seed(14)
out = []
for i in range(4000):
    r = {"MaHoSo": "H%05d" % i}
    if random.random() < 0.7: r["ChuHoSo"] = {"HoTen": "Nguyễn Văn %d" % i}
    if random.random() < 0.2: r.setdefault("ChuHoSo", {})["Email"] = random.choice([None, "", "a@b.vn"])
    k = random.random()
    if k < 0.2: r["DanhSachLePhi"] = []
    elif k < 0.25: r["DanhSachLePhi"] = None
    elif k < 0.9: r["DanhSachLePhi"] = [{"Gia": str(random.randint(0, 9) * 1000)} for _ in range(random.randint(1, 4))]
    if random.random() < 0.01 * (i // 400): r["Them%d" % (i // 400)] = "x"   # keys that first appear late
    out.append(json.dumps(r, ensure_ascii=False))
open(sys.argv[1] + '/het.ndjson', 'w', encoding='utf-8').write('\n'.join(out) + '\n')
EOF
"$bin" convert --to csv --csv-null NULL -j 1 "$T/het.ndjson" -o "$T/het1.csv"
check "csv union: every heterogeneous record written (exit 0)" [ $? = 0 ]
CHUAN_BATCH_CHUNK_KB=8 "$bin" convert --to csv --csv-null NULL -j 2 -q --out-dir "$T/hetod" "$T/het.ndjson"
check "csv union: -j 2 in chunks = -j 1" cmp -s "$T/het1.csv" "$T/hetod/het.csv"
CHUAN_BATCH_CHUNK_KB=8 "$bin" convert --to csv --csv-null NULL -j 2 -q --from ndjson \
    --rejects "$T/het.rej" - < "$T/het.ndjson" > "$T/het2.csv"
check "csv union: standard input, -j 2 = -j 1" cmp -s "$T/het1.csv" "$T/het2.csv"
"$bin" convert --to ndjson --csv-null NULL "$T/het1.csv" -o "$T/het.back"
check "csv union: JSON -> CSV -> JSON exact" py - "$T/het.ndjson" "$T/het.back" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
b = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert len(a) == 4000 and a == b, (len(a), len(b))
EOF

echo "batch: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "batch $passed $failed" > "$RESULTS/batch"
[ $failed = 0 ]
