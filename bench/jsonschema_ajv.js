// bench/jsonschema_ajv.js - the ajv 8 peer for bench/jsonschema.sh: compile the
// schema once, then JSON.parse + validate every NDJSON line; prints the counts.
// Usage: node bench/jsonschema_ajv.js SCHEMA FILE.ndjson
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const Ajv2020 = require(path.join(__dirname, "node_modules/ajv/dist/2020")).default;
const addFormats = require(path.join(__dirname, "node_modules/ajv-formats")).default;

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
let records = 0, invalid = 0;
const rl = readline.createInterface({ input: fs.createReadStream(process.argv[3]), crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  records++;
  let v;
  try { v = JSON.parse(line); } catch (e) { invalid++; return; }
  if (!validate(v)) invalid++;
});
rl.on("close", () => {
  console.log(`${records} records, ${invalid} invalid`);
  process.exitCode = invalid ? 1 : 0;
});
