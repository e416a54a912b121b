#!/usr/bin/python3
"""Run the examples of README*.md and docs/*.md, so the docs cannot rot.

Which blocks: every fenced block whose language is `console` or `sh`.
- `console`: lines starting with "$ " are commands (a line ending in a backslash continues on the
  next one); the lines after a command, up to the next command or the block's end, are its expected
  output (standard output and standard error together). A line holding only "..." matches any
  number of lines. A command must exit 0 unless it ends with the comment "# exit N".
- `sh`: every line that is not empty and not a comment is a command; its output is not compared,
  its exit status is (0, or "# exit N" as above).
A block preceded by the line "<!-- docs-test: skip REASON -->" is not run (installing, networking,
recursing into make check); the runner lists each one with its reason. Lines
"<!-- docs-test: setup COMMAND -->" just before a block (or before its skip line) run first, in
order, and must succeed: they make the files an example talks about without cluttering it.
$TMP is a folder inside the scratch copy.

Commands run with bash in a scratch copy of the repository's data (fixtures/, standards/,
examples/, tests/standards/, bench/gen/, docs/, python/), one scratch folder per markdown file,
with BUILD (default build/) first on PATH. Usage: tests/docs/examples.py [--update] [BUILD] [FILE.md...]
--update rewrites each console block's expected output and "# exit N" comment from the actual run
(review the result with git diff, as for the golden CLI tests).
"""
import os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COPY = ['fixtures', 'standards', 'examples', 'tests/standards', 'tests/diff', 'bench/gen', 'docs', 'python']
STATUS = re.compile(r'#\s*exits?\s+(\d+)\s*$')


def blocks(path):
    """(line number, language, lines, skip reason or None, set-up commands) for each fenced block."""
    lines = open(path, encoding='utf-8').read().split('\n')
    i, out = 0, []
    while i < len(lines):
        m = re.match(r'^```(\w*)\s*$', lines[i])
        if not m:
            i += 1
            continue
        start, lang, body = i + 1, m.group(1), []
        i += 1
        while i < len(lines) and not lines[i].startswith('```'):
            body.append(lines[i])
            i += 1
        i += 1
        k, skip, setup = start - 2, None, []
        while k >= 0:
            m2 = re.match(r'^<!-- docs-test: (skip|setup) (.*) -->$', lines[k])
            if not m2:
                break
            if m2.group(1) == 'skip':
                skip = m2.group(2)
            else:
                setup.insert(0, m2.group(2))
            k -= 1
        if lang in ('console', 'sh'):
            out.append((start, lang, body, skip, setup))
    return out


def render(lang, ran):
    """The console block's new body from (command, status, output) triples."""
    body = []
    for cmd, rc, got in ran:
        cmd = STATUS.sub('', cmd).rstrip() if STATUS.search(cmd) else cmd
        if rc != 0:
            cmd = cmd + '    # exit %d' % rc
        first, *rest = cmd.split('\n')
        body.append('$ ' + first)
        body += ['  ' + r if not r.startswith(' ') else r for r in rest]
        if got:
            body += got.split('\n')
    return body


def commands(lang, body):
    """(command, expected output lines or None, expected status)."""
    out, i = [], 0
    while i < len(body):
        line = body[i]
        if lang == 'console' and not line.startswith('$ '):
            i += 1  # output of no command: only possible before the first "$ "
            continue
        if lang == 'sh' and (not line.strip() or line.lstrip().startswith('#')):
            i += 1
            continue
        cmd = line[2:] if lang == 'console' else line
        while cmd.endswith('\\') and i + 1 < len(body):
            i += 1
            nxt = body[i]
            cmd = cmd + '\n' + (nxt[2:] if nxt.startswith('> ') else nxt)
        i += 1
        expect = None
        if lang == 'console':
            expect = []
            while i < len(body) and not body[i].startswith('$ '):
                expect.append(body[i])
                i += 1
            while expect and expect[-1] == '':
                expect.pop()
        m = STATUS.search(cmd)
        out.append((cmd, expect, int(m.group(1)) if m else 0))
    return out


def matches(expect, got):
    """expect may hold "..." lines matching any number of lines."""
    if not expect:
        return not got
    if expect[0] == '...':
        return any(matches(expect[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and expect[0] == got[0] and matches(expect[1:], got[1:])


def main():
    args = sys.argv[1:]
    update = '--update' in args
    args = [a for a in args if a != '--update']
    build = os.path.abspath(args.pop(0) if args and not args[0].endswith('.md') else os.path.join(ROOT, 'build'))
    files = args or sorted(f for f in os.listdir(ROOT) if re.match(r'README.*\.md$', f)) + \
        sorted('docs/' + f for f in os.listdir(os.path.join(ROOT, 'docs')) if f.endswith('.md'))
    passed = failed = skipped = 0
    env = dict(os.environ, PATH=build + os.pathsep + os.environ.get('PATH', ''), LC_ALL='C.UTF-8',
               NO_COLOR='1', PYTHONPATH='python', CHUAN_LIBRARY=os.path.join(build, 'libchuan.so'))
    env.pop('LANG', None)
    for f in files:
        todo = [b for b in blocks(os.path.join(ROOT, f))]
        if not todo:
            continue
        scratch = tempfile.mkdtemp(prefix='chuan-docs-')
        new_bodies = {}
        try:
            for d in COPY:
                if os.path.isdir(os.path.join(ROOT, d)):
                    shutil.copytree(os.path.join(ROOT, d), os.path.join(scratch, d), symlinks=True)
            os.makedirs(os.path.join(scratch, 'tmp'), exist_ok=True)
            os.symlink(build, os.path.join(scratch, 'build'))
            env['TMP'] = os.path.join(scratch, 'tmp')
            for line, lang, body, skip, setup in todo:
                if skip is not None:
                    skipped += 1
                    print('docs-examples: skip %s:%d (%s)' % (f, line, skip))
                    continue
                for cmd in setup:
                    r = subprocess.run(['bash', '-o', 'pipefail', '-c', cmd], cwd=scratch, env=env,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=120)
                    if r.returncode != 0:
                        failed += 1
                        print('docs-examples: FAIL %s:%d: set-up "%s" exited %d: %s' %
                              (f, line, cmd, r.returncode, r.stdout.decode('utf-8', 'replace')))
                ran = []
                for cmd, expect, status in commands(lang, body):
                    try:
                        r = subprocess.run(['bash', '-o', 'pipefail', '-c', cmd], cwd=scratch, env=env,
                                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, timeout=120)
                        got, rc = r.stdout.decode('utf-8', 'replace').replace('\r\n', '\n').rstrip('\n'), r.returncode
                    except subprocess.TimeoutExpired:
                        got, rc = '(timed out after 120 s)', -1
                    got = got.replace(env['TMP'], '$TMP')
                    got_lines = got.split('\n') if got else []
                    ran.append((cmd, rc, got))
                    problems = []
                    if rc != status:
                        problems.append('exit %d, the docs say %d' % (rc, status))
                    if expect is not None and not matches(expect, got_lines):
                        problems.append('output differs:\n--- docs\n%s\n--- actual\n%s' %
                                        ('\n'.join(expect), got))
                    if problems:
                        failed += 1
                        print('docs-examples: FAIL %s:%d: $ %s\n  %s' % (f, line, cmd, '\n  '.join(problems)))
                    else:
                        passed += 1
                if update and lang == 'console':
                    new_bodies[line] = render(lang, ran)
            if update and new_bodies:
                path = os.path.join(ROOT, f)
                lines = open(path, encoding='utf-8').read().split('\n')
                for line in sorted(new_bodies, reverse=True):
                    end = line
                    while not lines[end].startswith('```'):
                        end += 1
                    lines[line:end] = new_bodies[line]
                open(path, 'w', encoding='utf-8').write('\n'.join(lines))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print('docs-examples: %d passed, %d failed (%d blocks skipped)' % (passed, failed, skipped))
    res = os.environ.get('RESULTS')
    if res:
        open(os.path.join(res, 'docs-examples'), 'w').write('docs-examples %d %d\n' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
