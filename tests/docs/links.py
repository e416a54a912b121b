#!/usr/bin/python3
"""Every relative link in README*.md and docs/*.md points at a file that exists and, when it names an
anchor, at a heading of that file (GitHub's slug rules). Usage: tests/docs/links.py [ROOT]"""
import os, re, sys, glob

root = sys.argv[1] if len(sys.argv) > 1 else '.'
os.chdir(root)

def slug(h):
    h = re.sub(r'`', '', h.strip().lower())
    h = re.sub(r'[^\w\- ]', '', h, flags=re.U)
    return h.replace(' ', '-')

def anchors(path):
    seen, out, fence = {}, set(), False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
        if fence:
            continue
        m = re.match(r'^#{1,6} (.*)', line)
        if m:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else '%s-%d' % (s, n))
    return out

files = sorted(glob.glob('README*.md') + glob.glob('docs/*.md'))
passed = failed = 0
cache = {}
for f in files:
    fence = False
    for no, line in enumerate(open(f, encoding='utf-8'), 1):
        if line.startswith('```'):
            fence = not fence
        if fence:
            continue
        for target in re.findall(r'\]\(([^)\s]+)\)', line):
            if re.match(r'[a-z]+:', target):
                continue
            path, _, anchor = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
            if not os.path.exists(dest):
                print('docs-links: FAIL %s:%d: %s does not exist' % (f, no, target)); failed += 1; continue
            if anchor and dest.endswith('.md'):
                if dest not in cache:
                    cache[dest] = anchors(dest)
                if anchor not in cache[dest]:
                    print('docs-links: FAIL %s:%d: no heading #%s in %s' % (f, no, anchor, dest)); failed += 1; continue
            passed += 1
# the performance summary is copied from bench/RESULTS.md (bench/readme.sh), never typed by hand
def summary(path):
    t = open(path, encoding='utf-8').read()
    b, e = t.find('<!-- bench:summary:begin -->'), t.find('<!-- bench:summary:end -->')
    return t[b:e] if 0 <= b < e else None
want = summary('bench/RESULTS.md')
for f in [f for f in files if f.startswith('README')]:
    got = summary(f)
    if got is not None and got != want:
        print('docs-links: FAIL %s: the performance summary differs from bench/RESULTS.md (run bench/readme.sh)' % f); failed += 1
    elif got is not None:
        passed += 1
print('docs-links: %d passed, %d failed' % (passed, failed))
if os.environ.get('RESULTS'):
    open(os.path.join(os.environ['RESULTS'], 'docs-links'), 'w').write('docs-links %d %d\n' % (passed, failed))
sys.exit(1 if failed else 0)
