"""The Python binding (python/chuan) against the command line: same engines, same verdicts."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
import chuan  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tests", "dask"))
import hoso_data  # noqa: E402

CHUAN = os.environ.get("CHUAN", os.path.join(ROOT, "build", "chuan"))
PERSON_XSD = os.path.join(ROOT, "fixtures/xml/person.xsd")
PERSON_BAD = os.path.join(ROOT, "fixtures/xml/person-invalid.xml")
PERSON_OK = os.path.join(ROOT, "fixtures/xml/person-valid.xml")
BIRTH = os.path.join(ROOT, "fixtures/api/birth.json")
HOSO = [os.path.join(ROOT, "fixtures/api/hoso.ndjson"), os.path.join(ROOT, "fixtures/api/hoso.csv")]


def cli_convert_rejects(path, *extra):
    """`chuan convert -s dvc-hoso --to ndjson --rejects R -o O path`: (status, output, rejects)."""
    with tempfile.TemporaryDirectory() as d:
        out, rej = os.path.join(d, "out.ndjson"), os.path.join(d, "rej.ndjson")
        p = subprocess.run([CHUAN, "convert", "-s", "dvc-hoso", "--to", "ndjson", "-q",
                            "--rejects", rej, "-o", out, *extra, path], capture_output=True)
        data = open(out, "rb").read() if os.path.exists(out) else b""
        rejects = open(rej, "rb").read() if os.path.exists(rej) else b""
        return p.returncode, data, rejects


def cli_json(*args):
    p = subprocess.run([CHUAN, "validate", "-r", "json", "-j", "1", *args],
                       capture_output=True, check=False)
    return p.returncode, json.loads(p.stdout)


class Validate(unittest.TestCase):
    def test_same_diagnostics_as_cli(self):
        for args, kw, payload in [
            (["--schema", PERSON_XSD], {"schema": PERSON_XSD}, PERSON_BAD),
            (["-s", "hotich"], {"standard": "hotich"}, BIRTH),
        ]:
            status, report = cli_json(*args, payload)
            r = chuan.validate(payload, **kw)
            cli_file = report["files"][0]
            self.assertEqual(status, 1)
            self.assertEqual(r["status"], cli_file["status"])
            keys = ("code", "line", "column", "path", "message")
            self.assertEqual([{k: d.get(k) for k in keys} for d in r["diagnostics"]],
                             [{k: d.get(k) for k in keys} for d in cli_file["diagnostics"]])

    def test_valid_file(self):
        r = chuan.validate(PERSON_OK, schema=PERSON_XSD)
        self.assertEqual(r["status"], "valid")
        self.assertEqual(r["diagnostics"], [])
        self.assertEqual(r["format"], "xml")

    def test_bytes_and_schema_in_memory(self):
        schema = '{"type":"object","required":["MaHoSo"],"properties":{"MaHoSo":{"type":"string"}}}'
        v = chuan.Validator(schema_text=schema, schema_type="jsonschema")
        ok = v.validate(b'{"MaHoSo": "H1"}', format="json")
        bad = v.validate(b'{\n  "MaHoSo": 5\n}', format="json", name="payload.json")
        v.close()
        self.assertEqual(ok["status"], "valid")
        self.assertEqual(bad["status"], "invalid")
        self.assertEqual(bad["file"], "payload.json")
        self.assertEqual(bad["diagnostics"][0]["line"], 2)

    def test_not_well_formed_is_invalid_with_a_location(self):
        r = chuan.validate(b"<a><b></a>", format="xml")
        self.assertEqual(r["status"], "invalid")
        self.assertTrue(r["diagnostics"][0]["code"].startswith("xml."))
        self.assertEqual(r["diagnostics"][0]["line"], 1)

    def test_no_schema_is_well_formed_not_valid(self):
        # nothing but well-formedness checked: never reported "valid"
        r = chuan.validate(b"<a><b/></a>", format="xml")
        self.assertEqual(r["status"], "well-formed")
        self.assertEqual(r["errors"], 0)

    def test_schema_that_does_not_compile(self):
        with tempfile.NamedTemporaryFile("w", suffix=".xsd", delete=False) as f:
            f.write("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:element/></xs:schema>")
        try:
            with self.assertRaises(chuan.ChuanError) as cm:
                chuan.validate(PERSON_OK, schema=f.name)
            self.assertTrue(cm.exception.diagnostics)
        finally:
            os.unlink(f.name)

    def test_unknown_standard(self):
        with self.assertRaises(chuan.ChuanError):
            chuan.Validator(standard="no-such-standard")

    def test_missing_input_is_an_error_not_a_verdict(self):
        v = chuan.Validator(schema=PERSON_XSD)
        with self.assertRaises(chuan.ChuanError):
            v.validate("/nonexistent/payload.xml")

    def test_threads_share_one_validator(self):
        v = chuan.Validator(schema=PERSON_XSD)
        results = []

        def work():
            for _ in range(20):
                results.append(v.validate(PERSON_BAD)["errors"])

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(set(results), {4})
        self.assertEqual(len(results), 80)


class Convert(unittest.TestCase):
    def test_bytes_to_json(self):
        c = chuan.convert(b"<a><b>1</b><b>2</b></a>", to="json")
        self.assertTrue(c.ok)
        self.assertEqual(json.loads(c.data), {"a": {"b": ["1", "2"]}})

    def test_file_same_bytes_as_cli(self):
        out = subprocess.run([CHUAN, "convert", "--to", "csv", BIRTH], capture_output=True,
                             check=True).stdout
        self.assertEqual(chuan.convert(BIRTH, to="csv").data, out)

    def test_record_errors_are_reported_others_kept(self):
        c = chuan.convert(b'{"a": 1}\n{"a": \n{"a": 3}\n', to="ndjson", from_="ndjson")
        self.assertFalse(c.ok)
        self.assertEqual(c.data, b'{"a":1}\n{"a":3}\n')
        self.assertEqual(c.diagnostics[0]["line"], 2)

    def test_bad_options(self):
        with self.assertRaises(chuan.ChuanError):
            chuan.Converter(to="yaml")
        with self.assertRaises(chuan.ChuanError):
            chuan.Converter(to="json", mapping="nope")


class ConvertStandard(unittest.TestCase):
    """convert(standard=...) writes what `chuan convert -s ID --rejects F` writes."""

    def test_same_bytes_as_cli(self):
        for path in HOSO:
            status, out, rej = cli_convert_rejects(path)
            c = chuan.convert(path, to="ndjson", standard="dvc-hoso")
            self.assertEqual(status, 1)
            self.assertFalse(c.ok)
            self.assertTrue(rej)
            self.assertEqual(c.data, out)
            self.assertEqual(c.rejects, rej)
            self.assertEqual(c.records, c.written + c.rejected)
            self.assertEqual(c.rejected, len(rej.splitlines()))

    def test_stream_and_bytes_same_as_path(self):
        conv = chuan.Converter(to="ndjson", standard="dvc-hoso", jobs=2)
        for path in HOSO:
            whole = conv.convert(path)
            with open(path, "rb") as f:
                s = conv.convert(f)  # named by the stream's .name: the path
            b = conv.convert(open(path, "rb").read(), name=path)
            for r in (s, b):
                self.assertEqual(r.data, whole.data)
                self.assertEqual(r.rejects, whole.rejects)
        conv.close()

    def test_partitions_concatenate_to_the_whole(self):
        conv = chuan.Converter(to="ndjson", standard="dvc-hoso")
        for path, is_csv in zip(HOSO, (False, True)):
            whole = conv.convert(path)
            data = open(path, "rb").read()
            parts = hoso_data.split(data, 3, csv_header=is_csv)
            self.assertGreaterEqual(len(parts), 3)
            got = [conv.convert(b, name=path, first_line=line, records_before=before)
                   for b, line, before in parts]
            self.assertEqual(b"".join(r.data for r in got), whole.data)
            self.assertEqual(b"".join(r.rejects for r in got), whole.rejects)
            # without their place, the rejects name the partitions' own lines
            alone = [conv.convert(b, name=path) for b, _, _ in parts]
            self.assertNotEqual(b"".join(r.rejects for r in alone), whole.rejects)
        conv.close()

    def test_partition_plans(self):
        """chuan.partitions: planned pieces converted one by one = the whole file, also when
        the header is refused (only the first piece reports and rejects it)."""
        from chuan import partitions
        conv = dict(to="ndjson", standard="dvc-hoso")
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "dup.csv")
            data = open(HOSO[1], "rb").read()
            with open(bad, "wb") as f:
                f.write(data.replace(b"MaTTHC", b"MaHoSo", 1))  # a duplicate column name
            for path, plan in ((HOSO[0], partitions.ndjson_plan), (HOSO[1], partitions.csv_plan),
                               (bad, partitions.csv_plan)):
                whole = chuan.convert(path, **conv)
                parts = plan(path, 4)
                self.assertGreaterEqual(len(parts), 3)
                got = [partitions.convert_partition(path, p, **conv) for p in parts]
                self.assertEqual(b"".join(r.data for r in got), whole.data, path)
                self.assertEqual(b"".join(r.rejects for r in got), whole.rejects, path)
                self.assertEqual(sum(r.records for r in got), whole.records, path)
                codes = [[g["code"] for g in r.diagnostics if g["code"].startswith("csv.")]
                         for r in got]
                if path == bad:
                    self.assertEqual(codes[0], ["csv.header-duplicate"])
                    self.assertEqual(sum(codes[1:], []), [])

    def test_unknown_standard(self):
        with self.assertRaises(chuan.ChuanError):
            chuan.Converter(to="ndjson", standard="no-such-standard")

    def test_validate_stream_same_as_path(self):
        v = chuan.Validator(standard="dvc-hoso")
        want = v.validate(HOSO[0])
        with open(HOSO[0], "rb") as f:
            got = v.validate(f, name=HOSO[0])
        self.assertEqual(got["status"], "invalid")
        self.assertEqual(got["diagnostics"], want["diagnostics"])
        v.close()

    def test_stream_error_is_raised(self):
        class Broken:
            def read(self, n):
                raise OSError("disk gone")
        with self.assertRaises(OSError):
            chuan.validate(Broken(), format="json")


class Summary(unittest.TextTestResult):
    pass


if __name__ == "__main__":
    runner = unittest.TextTestRunner(verbosity=1)
    result = runner.run(unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed
    print("python: %d passed, %d failed" % (passed, failed))
    res_dir = os.environ.get("RESULTS")
    if res_dir:
        with open(os.path.join(res_dir, "python"), "w") as f:
            f.write("python %d %d\n" % (passed, failed))
    sys.exit(1 if failed else 0)
