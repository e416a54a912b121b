#!/bin/sh
# Install the tools chuan is compared with (Debian packages; npm packages into bench/node_modules).
set -u
missing=""
for pair in xmllint:libxml2-utils mlr:miller csvjson:csvkit xq:yq hyperfine:hyperfine wrk:wrk; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing="$missing $pkg"
done
[ -x /usr/bin/time ] || missing="$missing time"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing="$missing python3-jsonschema"
/usr/bin/python3 -c 'import xmltodict' 2>/dev/null || missing="$missing python3-xmltodict"
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || missing="$missing python3-openpyxl"
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
fi
if command -v npm >/dev/null 2>&1 && [ ! -d bench/node_modules/ajv ]; then
    (cd bench && npm install --no-audit --no-fund --silent ajv@8 ajv-formats@3 >/dev/null)
fi
exit 0
