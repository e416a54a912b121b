#!/bin/sh
# The action's validation step: annotations on the run (GitHub workflow commands on standard
# output), a SARIF file for code scanning, a summary in the job summary, and chuan's exit status
# as the step output `status` (the action fails in its last step, after the upload).
# Inputs from the environment: INPUT_PATHS, INPUT_STANDARD, INPUT_ARGS, INPUT_SARIF.
set -u
CHUAN=${CHUAN:-chuan}
std=""
[ -n "${INPUT_STANDARD:-}" ] && std="-s $INPUT_STANDARD"
# shellcheck disable=SC2086 # paths and args are word lists on purpose
$CHUAN validate -r sarif -o "${INPUT_SARIF:-chuan.sarif}" $std ${INPUT_ARGS:-} $INPUT_PATHS
status=$?
# shellcheck disable=SC2086
$CHUAN validate -r github $std ${INPUT_ARGS:-} $INPUT_PATHS > "${TMPDIR:-/tmp}/chuan-annotations.txt" 2>/dev/null
cat "${TMPDIR:-/tmp}/chuan-annotations.txt"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
        echo "### chuan validate"
        echo
        echo "exit status $status ($( [ $status = 0 ] && echo valid || { [ $status = 1 ] && echo 'invalid payloads' || echo 'could not judge'; } ))"
        echo
        tail -1 "${TMPDIR:-/tmp}/chuan-annotations.txt"
    } >> "$GITHUB_STEP_SUMMARY"
fi
[ -n "${GITHUB_OUTPUT:-}" ] && echo "status=$status" >> "$GITHUB_OUTPUT"
exit 0
