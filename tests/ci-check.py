"""The CI integrations run as their hosts would run them, on fixtures, with the built chuan first on
PATH: the pre-commit hooks (.pre-commit-hooks.yaml: files/exclude filters, entry + file names),
the GitHub action's validation script (ci/github/validate.sh: SARIF, annotations, job summary,
status output) and the GitLab template's script (ci/gitlab/chuan.gitlab-ci.yml, lines run in one
shell with `set -e` as GitLab does, JUnit artifact). Usage: python3 tests/ci-check.py BUILD"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
ENV = dict(os.environ, PATH=BUILD + os.pathsep + os.environ["PATH"],
           CHUAN_STANDARDS=os.path.join(ROOT, "standards"))
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("ci: FAIL", what)


work = tempfile.mkdtemp()
try:
    ok_xml = os.path.join(work, "ok.xml")
    bad_xml = os.path.join(work, "bad.xml")
    shutil.copy(os.path.join(ROOT, "fixtures/xml/person-valid.xml"), ok_xml)
    shutil.copy(os.path.join(ROOT, "fixtures/xml/person-invalid.xml"), bad_xml)
    with open(os.path.join(work, ".chuan.json"), "w") as f:  # CI repos map payloads to a schema
        json.dump({"standards": []}, f)
    xsd = os.path.join(ROOT, "fixtures/xml/person.xsd")

    # pre-commit: filters and entry, as pre-commit runs a `language: system` hook
    hooks = {h["id"]: h for h in yaml.safe_load(open(os.path.join(ROOT, ".pre-commit-hooks.yaml")))}
    h = hooks["chuan-validate"]
    names = ["ok.xml", "bad.xml", "notes.txt", ".chuan.json", "package.json", "a.ndjson"]
    picked = [n for n in names if re.search(h["files"], n) and not re.search(h.get("exclude", "^$"), n)]
    check(picked == ["ok.xml", "bad.xml", "a.ndjson"], "pre-commit file filter picked %s" % picked)
    run = lambda files: subprocess.run(h["entry"].split() + ["--schema", xsd] + files, cwd=work,
                                       env=ENV, capture_output=True, text=True)
    check(run(["ok.xml"]).returncode == 0, "pre-commit hook passes a valid payload")
    r = run(["ok.xml", "bad.xml"])
    check(r.returncode == 1 and "bad.xml:5:5: error: xsd.pattern" in r.stdout,
          "pre-commit hook fails an invalid payload with its location: %r" % r.stdout[:300])
    lint = hooks["chuan-lint"]
    check(re.search(lint["files"], "standards/edxml/standard.json") is not None, "lint hook filter")
    r = subprocess.run(lint["entry"].split() + [os.path.join(ROOT, "standards/edxml/standard.json")],
                       cwd=work, env=ENV, capture_output=True, text=True)
    check(r.returncode == 0, "chuan-lint hook on a bundled package: %s" % r.stderr[-300:])

    # GitHub action: the validation step
    out, summ = os.path.join(work, "gh-output"), os.path.join(work, "gh-summary")
    env = dict(ENV, INPUT_PATHS="ok.xml bad.xml", INPUT_STANDARD="", INPUT_ARGS="--schema " + xsd,
               INPUT_SARIF="chuan.sarif", GITHUB_OUTPUT=out, GITHUB_STEP_SUMMARY=summ)
    r = subprocess.run(["sh", os.path.join(ROOT, "ci/github/validate.sh")], cwd=work, env=env,
                       capture_output=True, text=True)
    check(r.returncode == 0, "the action's validation step itself succeeds (the verdict comes last)")
    check(open(out).read().strip() == "status=1", "action output status=1 for an invalid payload")
    sarif = json.load(open(os.path.join(work, "chuan.sarif")))
    results = sarif["runs"][0]["results"]
    check(sarif["version"] == "2.1.0" and len(results) == 4 and
          results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 5,
          "SARIF for code scanning: 4 results, first at line 5")
    check("::error file=bad.xml,line=5" in r.stdout, "GitHub annotations on the run")
    check("exit status 1" in open(summ).read(), "job summary")

    # GitLab template: the job's script in one `sh -e` session with the job's variables
    job = yaml.safe_load(open(os.path.join(ROOT, "ci/gitlab/chuan.gitlab-ci.yml")))["chuan-validate"]
    for paths, want in (("ok.xml", 0), ("ok.xml bad.xml", 1)):
        env = dict(ENV, CHUAN_PATHS=paths, CHUAN_STANDARD="", CHUAN_ARGS="--schema " + xsd)
        r = subprocess.run(["sh", "-ec", "\n".join(job["script"])], cwd=work, env=env,
                           capture_output=True, text=True)
        check(r.returncode == want, "GitLab job exit %d for %s (got %d)" % (want, paths, r.returncode))
        junit = open(os.path.join(work, job["artifacts"]["reports"]["junit"])).read()
        check("<testsuite" in junit and ("<failure" in junit) == (want == 1),
              "GitLab JUnit artifact for %s" % paths)
finally:
    shutil.rmtree(work)

print("ci: %d passed, %d failed" % (passed, failed))
res = os.environ.get("RESULTS")
if res:
    with open(os.path.join(res, "ci"), "w") as f:
        f.write("ci %d %d\n" % (passed, failed))
sys.exit(1 if failed else 0)
