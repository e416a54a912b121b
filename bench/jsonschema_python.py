"""bench/jsonschema_python.py - the python-jsonschema peer for bench/jsonschema.sh:
build the validator once, then json.loads + validate every NDJSON line.
Usage: /usr/bin/python3 bench/jsonschema_python.py SCHEMA FILE.ndjson [MAX_RECORDS]"""
import json
import sys

import jsonschema

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema)
validator = cls(schema)
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
records = invalid = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        records += 1
        try:
            value = json.loads(line)
        except ValueError:
            invalid += 1
            continue
        if not validator.is_valid(value):
            invalid += 1
        if limit and records >= limit:
            break
print("%d records, %d invalid" % (records, invalid))
sys.exit(1 if invalid else 0)
