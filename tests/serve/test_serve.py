"""chuan serve: real HTTP requests against a real server on a loopback port (started and stopped
here): every endpoint, the OpenAPI document against the implementation, reports equal to the CLI's,
authentication, limits, hostile clients, reload and graceful shutdown. Usage: test_serve.py BUILD"""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(sys.argv.pop(1) if len(sys.argv) > 1 else "build")
CHUAN = os.path.join(BUILD, "chuan")
TOKEN = "s3cret-token-for-tests-0123456789"
PERSON_XSD = os.path.join(ROOT, "fixtures/xml/person.xsd")
PERSON_BAD = os.path.join(ROOT, "fixtures/xml/person-invalid.xml")
BIRTH = os.path.join(ROOT, "fixtures/api/birth.json")
ENV = dict(os.environ, CHUAN_STANDARDS=os.path.join(ROOT, "standards"), LC_ALL="C.UTF-8")


class Server:
    def __init__(self, *args):
        self.dir = tempfile.mkdtemp()
        self.port_file = os.path.join(self.dir, "port")
        self.log = os.path.join(self.dir, "access.log")
        self.err = open(os.path.join(self.dir, "stderr"), "w+")
        self.proc = subprocess.Popen([CHUAN, "serve", "--listen", "127.0.0.1:0", "--port-file", self.port_file,
                                      "--access-log", self.log, *args], env=ENV, stdout=subprocess.DEVNULL,
                                     stderr=self.err)
        for _ in range(200):
            if os.path.exists(self.port_file) and open(self.port_file).read().strip():
                break
            time.sleep(0.05)
        self.port = int(open(self.port_file).read())

    def request(self, method, path, body=None, headers=None, timeout=30):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, r.getheader("Content-Type") or "", data

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=40)
        self.err.seek(0)
        return rc, self.err.read()


def multipart(fields):
    boundary = "----chuan-test-boundary"
    out = b""
    for name, (filename, data) in fields.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"%s\r\n\r\n" %
                (boundary, name, '; filename="%s"' % filename if filename else "")).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return out, {"Content-Type": "multipart/form-data; boundary=" + boundary}


class Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tok = os.path.join(tempfile.mkdtemp(), "token")
        with open(tok, "w") as f:
            f.write(TOKEN + "\n")
        cls.s = Server("--token-file", tok, "--timeout", "3", "--max-body", "8")
        cls.auth = {"Authorization": "Bearer " + TOKEN}

    @classmethod
    def tearDownClass(cls):
        rc, err = cls.s.stop()
        assert rc == 0, err

    def get(self, path, **kw):
        return self.s.request("GET", path, headers=dict(self.auth, **kw.get("headers", {})))

    def post(self, path, body, headers=None, auth=True):
        h = dict(self.auth if auth else {}, **(headers or {}))
        return self.s.request("POST", path, body=body, headers=h)

    def test_health_and_page_are_public(self):
        st, ct, body = self.s.request("GET", "/healthz")
        self.assertEqual((st, json.loads(body)["status"]), (200, "ok"))
        st, ct, body = self.s.request("GET", "/")
        self.assertEqual(st, 200)
        self.assertTrue(ct.startswith("text/html") and b"<html" in body)

    def test_token_required(self):
        for path in ("/v1/standards", "/metrics"):
            st, ct, body = self.s.request("GET", path)
            self.assertEqual(st, 401)
            self.assertEqual(ct, "application/problem+json")
            self.assertEqual(json.loads(body)["status"], 401)
        st, _, _ = self.s.request("GET", "/v1/standards", headers={"Authorization": "Bearer wrong"})
        self.assertEqual(st, 401)

    def test_standards(self):
        st, _, body = self.get("/v1/standards")
        ids = [s["id"] for s in json.loads(body)["standards"]]
        self.assertIn("hotich", ids)
        st, _, body = self.get("/v1/standards/hotich")
        doc = json.loads(body)
        self.assertEqual(st, 200)
        self.assertIn("HT-001", doc["rules"])
        self.assertIn("provinces", doc["codelists"])
        self.assertEqual(self.get("/v1/standards/nope")[0], 404)

    def test_report_equals_cli(self):
        data = open(BIRTH, "rb").read()
        st, ct, body = self.post("/v1/validate?standard=hotich&name=birth.json", data,
                                 {"Content-Type": "application/json"})
        self.assertEqual((st, ct), (200, "application/json"))
        cli = subprocess.run([CHUAN, "validate", "-r", "json", "-s", "hotich", BIRTH], env=ENV,
                             capture_output=True).stdout
        self.assertEqual(body.replace(b'"birth.json"', b'"F"'), cli.replace(json.dumps(BIRTH).encode(), b'"F"'))

    def test_auto_selected_and_wellformed(self):
        # as `chuan validate FILE`: the JSON $schema names the package
        data = open(BIRTH, "rb").read().replace(b"{", b'{"$schema": "urn:chuan:std:hotich",', 1)
        st, _, body = self.post("/v1/validate", data, {"Content-Type": "application/json"})
        f = json.loads(body)["files"][0]
        self.assertEqual((st, f["status"]), (200, "invalid"))
        self.assertTrue(f["standard"].startswith("hotich"))
        st, _, body = self.post("/v1/validate", b'{"a": 1}', {"Content-Type": "application/json"})
        f = json.loads(body)["files"][0]
        self.assertEqual(st, 200)
        self.assertNotEqual(f["status"], "invalid")
        self.assertIsNone(f.get("standard"))

    def test_service_member_selects_like_the_cli(self):
        # a DVCQG body names its service: known -> that package; unknown -> standard.unknown-service,
        # invalid (never "valid" or merely well-formed); the JSON report equals the CLI's
        dongbo = os.path.join(ROOT, "standards/dvc-hoso/fixtures/valid/dongbo-hoso.json")
        good = open(dongbo, "rb").read()
        st, _, body = self.post("/v1/validate?name=b.json", good, {"Content-Type": "application/json"})
        f = json.loads(body)["files"][0]
        self.assertEqual((st, f["status"], f["standard"].split("@")[0]), (200, "valid", "dvc-hoso"))
        self.assertIn("DongBoHoSoMC", f["selected"])
        bad = good.replace(b"DongBoHoSoMC", b"LayThuTuc")
        st, _, body = self.post("/v1/validate?name=b.json", bad, {"Content-Type": "application/json"})
        f = json.loads(body)["files"][0]
        self.assertEqual((st, f["status"]), (200, "invalid"))
        self.assertEqual(f["diagnostics"][0]["code"], "standard.unknown-service")
        self.assertEqual(f["diagnostics"][0]["file"], "b.json")
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "b.json")
            open(p, "wb").write(bad)
            cli = subprocess.run([CHUAN, "validate", "-r", "json", p], env=ENV, capture_output=True).stdout
        self.assertEqual(body, cli.replace(json.dumps(p).encode(), b'"b.json"'))

    def test_multipart_schema_and_report_formats(self):
        body, h = multipart({"file": ("person.xml", open(PERSON_BAD, "rb").read()),
                             "schema": ("person.xsd", open(PERSON_XSD, "rb").read())})
        for report, ctype, marker in (("json", "application/json", b'"xsd.pattern"'),
                                      ("text", "text/plain", b"person.xml:5:5: error: xsd.pattern"),
                                      ("junit", "application/xml", b"<testsuite"),
                                      ("sarif", "application/sarif+json", b'"2.1.0"'),
                                      ("html", "text/html", b"<html"),
                                      ("basic", "application/json", b'"valid": false')):
            st, ct, out = self.post("/v1/validate?report=" + report, body, h)
            self.assertEqual(st, 200, out)
            self.assertTrue(ct.startswith(ctype), (report, ct))
            self.assertIn(marker, out.replace(b'"valid":false', b'"valid": false'), report)
        st, ct, out = self.post("/v1/validate", body, dict(h, Accept="application/sarif+json"))
        self.assertTrue(ct.startswith("application/sarif+json"))

    def test_client_errors(self):
        self.assertEqual(self.post("/v1/validate?standard=nope", b"{}", {"Content-Type": "application/json"})[0], 404)
        self.assertEqual(self.post("/v1/validate", b"x", {"Content-Type": "image/png"})[0], 415)
        self.assertEqual(self.post("/v1/validate?format=yaml", b"x")[0], 400)
        self.assertEqual(self.post("/v1/validate?report=pdf", b"<a/>")[0], 400)
        self.assertEqual(self.s.request("GET", "/v1/validate", headers=self.auth)[0], 405)
        self.assertEqual(self.get("/nowhere")[0], 404)
        body, h = multipart({"file": ("a.xml", b"<a/>"), "schema": ("s.xsd", b"<not a schema")})
        st, ct, out = self.post("/v1/validate", body, h)
        self.assertEqual((st, ct), (400, "application/problem+json"))

    def test_convert(self):
        st, ct, out = self.post("/v1/convert?to=json", b"<a><b>1</b><b>2</b></a>", {"Content-Type": "application/xml"})
        self.assertEqual((st, ct, json.loads(out)), (200, "application/json", {"a": {"b": ["1", "2"]}}))
        cli = subprocess.run([CHUAN, "convert", "--to", "csv", BIRTH], env=ENV, capture_output=True).stdout
        st, ct, out = self.post("/v1/convert?to=csv", open(BIRTH, "rb").read(), {"Content-Type": "application/json"})
        self.assertEqual((st, out), (200, cli))
        st, ct, out = self.post("/v1/convert?to=ndjson&format=ndjson", b'{"a":1}\n{"a":\n')
        self.assertEqual((st, ct), (422, "application/problem+json"))
        self.assertEqual(json.loads(out)["diagnostics"][0]["line"], 2)
        self.assertEqual(self.post("/v1/convert", b"<a/>")[0], 400)

    def test_too_large(self):
        st, ct, out = self.post("/v1/validate", b"x", {"Content-Length": str(10 * 1024 ** 3)})
        self.assertEqual(st, 413)

    def test_metrics(self):
        self.post("/v1/validate?standard=hotich", open(BIRTH, "rb").read(), {"Content-Type": "application/json"})
        st, ct, out = self.get("/metrics")
        text = out.decode()
        self.assertTrue(ct.startswith("text/plain; version=0.0.4"))
        self.assertIn('chuan_http_requests_total{route="/v1/validate",status="200"}', text)
        self.assertIn('chuan_payloads_total{verdict="invalid"}', text)
        self.assertIn("chuan_http_request_duration_seconds_bucket{le=\"+Inf\"}", text)

    def test_openapi_matches_the_implementation(self):
        st, _, out = self.s.request("GET", "/v1/openapi.json")
        doc = json.loads(out)
        self.assertEqual(doc["openapi"][:3], "3.1")
        routes = {"/", "/healthz", "/metrics", "/v1/openapi.json", "/v1/standards", "/v1/standards/{id}",
                  "/v1/validate", "/v1/convert", "/v1/admin/reload"}
        self.assertEqual(set(doc["paths"]), routes)
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                url = path.replace("{id}", "hotich")
                st, ct, _ = self.s.request(method.upper(), url + ("?to=json" if "convert" in path else ""),
                                           body=b"<a/>" if method == "post" else None,
                                           headers=dict(self.auth, **({"Content-Type": "application/xml"} if method == "post" else {})))
                self.assertNotIn(st, (404, 405), (method, path))
                self.assertIn(str(st), op["responses"], (method, path, st))
                media = [m.split(";")[0] for m in op["responses"][str(st)].get("content", {})] or None
                if media is None and "$ref" in op["responses"][str(st)]:
                    media = ["application/problem+json"]
                if media:
                    self.assertIn(ct.split(";")[0], media, (method, path, ct))
        # every problem status the implementation answers is declared
        self.assertIn("413", doc["paths"]["/v1/validate"]["post"]["responses"])

    def test_access_log(self):
        self.get("/healthz")
        last = [json.loads(line) for line in open(self.s.log)][-1]
        self.assertEqual((last["path"], last["status"], last["remote"]), ("/healthz", 200, "127.0.0.1"))


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server("--timeout", "2", "--max-body", "1")

    @classmethod
    def tearDownClass(cls):
        rc, err = cls.s.stop()
        assert rc == 0, err

    def healthy(self):
        t0 = time.monotonic()
        st, _, _ = self.s.request("GET", "/healthz", timeout=5)
        return st == 200 and time.monotonic() - t0 < 0.1

    def raw(self, data, wait=3):
        sk = socket.create_connection(("127.0.0.1", self.s.port), timeout=wait)
        sk.sendall(data)
        try:
            return sk.recv(4096)
        except OSError:
            return b""
        finally:
            sk.close()

    def test_malformed_request_line(self):
        out = self.raw(b"GARBAGE\r\n\r\n")
        self.assertTrue(out == b"" or out.startswith(b"HTTP/1.1 4"), out[:40])
        self.assertTrue(self.healthy())

    def test_huge_content_length(self):
        out = self.raw(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 10737418240\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:40])

    def test_chunked_body_that_never_ends(self):
        sk = socket.create_connection(("127.0.0.1", self.s.port), timeout=10)
        sk.sendall(b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        closed = False
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < 8:
                sk.sendall(b"10000\r\n" + b"a" * 0x10000 + b"\r\n")
        except OSError:
            closed = True
        sk.close()
        self.assertTrue(closed, "the server kept reading a body past --max-body")
        self.assertTrue(self.healthy())

    def test_thousand_idle_connections(self):
        socks = []
        try:
            for _ in range(1000):
                socks.append(socket.create_connection(("127.0.0.1", self.s.port), timeout=5))
            time.sleep(0.2)
            self.assertTrue(self.healthy(), "healthz slower than 100 ms with 1,000 idle connections")
        finally:
            for sk in socks:
                sk.close()

    def test_billion_laughs(self):
        lol = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + b"".join(
            b'<!ENTITY %c "%s">' % (ord("b") + i, (b"&%c;" % (ord("a") + i)) * 10) for i in range(9)) + b']><l>&j;</l>'
        st, ct, out = self.s.request("POST", "/v1/validate", body=lol, headers={"Content-Type": "application/xml"})
        self.assertIn(st, (200, 400, 413))
        if st == 200:
            self.assertEqual(json.loads(out)["files"][0]["status"], "invalid")
        self.assertTrue(self.healthy())


class Lifecycle(unittest.TestCase):
    def test_sighup_reload_and_graceful_stop(self):
        s = Server()
        self.assertEqual(s.request("GET", "/healthz")[0], 200)
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(1)
        self.assertEqual(s.request("GET", "/v1/standards")[0], 200)
        # a slow request in flight when SIGTERM comes still gets its answer
        result = {}
        big = b"\n".join(b'{"a": %d}' % i for i in range(200000))

        def slow():
            result["st"] = s.request("POST", "/v1/validate?format=ndjson", body=big)[0]

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.05)
        rc, err = s.stop(signal.SIGTERM)
        t.join()
        self.assertEqual(rc, 0)
        self.assertIn("standards reloaded", err)
        self.assertIn("stopped", err)
        self.assertEqual(result.get("st"), 200)

    def test_reload_endpoint_needs_token(self):
        s = Server()
        try:
            self.assertEqual(s.request("POST", "/v1/admin/reload")[0], 403)
        finally:
            s.stop()

    def test_bad_listen_address(self):
        p = subprocess.run([CHUAN, "serve", "--listen", "nowhere"], env=ENV, capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--listen", p.stderr)


if __name__ == "__main__":
    result = unittest.TextTestRunner(verbosity=1).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed
    print("serve: %d passed, %d failed" % (passed, failed))
    if os.environ.get("RESULTS"):
        with open(os.path.join(os.environ["RESULTS"], "serve"), "w") as f:
            f.write("serve %d %d\n" % (passed, failed))
    sys.exit(1 if failed else 0)
