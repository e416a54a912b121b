"""chuan - validate and convert Vietnamese e-government data-exchange payloads.

A binding over libchuan (ctypes, no compiled extension): the same engines as
the ``chuan`` command. The library is found through ``CHUAN_LIBRARY`` (a path
to libchuan.so), then the build tree beside this package (``build/``), then
the system's library path.

    import chuan
    r = chuan.validate("payload.json", standard="hotich")
    r["status"], r["diagnostics"][0]["code"]
    out = chuan.convert(b"<a><b>1</b></a>", to="json")
    out.data, out.diagnostics
    out = chuan.convert("hoso.ndjson", to="ndjson", standard="dvc-hoso")
    out.data, out.rejects          # the bytes of `chuan convert -s dvc-hoso --rejects F`

A payload is a path (str or os.PathLike), bytes, or a binary stream (anything with
.read(n), e.g. an open file or io.BytesIO). A partition of a larger NDJSON or CSV input
is converted with first_line= and records_before= (docs/distributed.md).

Ownership: every C object made here is freed here; results are plain Python
values (dicts, lists, bytes).
"""
import ctypes
import ctypes.util
import os

__all__ = ["validate", "convert", "Validator", "Converter", "ChuanError", "Conversion"]


class ChuanError(Exception):
    """The tool could not do its job (exit code 2): a schema or standard that
    does not compile, an unreadable input, out of memory. ``diagnostics``
    holds chuan's reasons."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class _Diag(ctypes.Structure):
    _fields_ = [
        ("severity", ctypes.c_int),
        ("code", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("message_vi", ctypes.c_char_p),
        ("file", ctypes.c_char_p),
        ("line", ctypes.c_long),
        ("column", ctypes.c_long),
        ("offset", ctypes.c_longlong),
        ("path", ctypes.c_char_p),
        ("source", ctypes.c_char_p),
        ("keyword_location", ctypes.c_char_p),
        ("schema_location", ctypes.c_char_p),
        ("properties", ctypes.c_char_p),
    ]


class _Diags(ctypes.Structure):
    _fields_ = [
        ("items", ctypes.POINTER(_Diag)),
        ("count", ctypes.c_size_t),
        ("cap", ctypes.c_size_t),
        ("max", ctypes.c_size_t),
        ("dropped", ctypes.c_size_t),
        ("errors", ctypes.c_size_t),
        ("warnings", ctypes.c_size_t),
        ("oom", ctypes.c_int),
    ]


class _FileResult(ctypes.Structure):
    _fields_ = [
        ("file", ctypes.c_char_p),
        ("format", ctypes.c_char_p),
        ("standard", ctypes.c_char_p),
        ("status", ctypes.c_int),
        ("records", ctypes.c_long),
        ("seconds", ctypes.c_double),
        ("diags", _Diags),
        ("selected", ctypes.c_char_p),
    ]


class _ValidatorOpts(ctypes.Structure):
    _fields_ = [
        ("schema", ctypes.c_char_p),
        ("schema_text", ctypes.c_void_p),
        ("schema_len", ctypes.c_size_t),
        ("schema_type", ctypes.c_char_p),
        ("standard", ctypes.c_char_p),
        ("draft", ctypes.c_char_p),
        ("as_of", ctypes.c_char_p),
        ("assert_formats", ctypes.c_int),
        ("max_errors", ctypes.c_size_t),
    ]


class _ConverterOpts(ctypes.Structure):
    _fields_ = [
        ("from_", ctypes.c_char_p),
        ("to", ctypes.c_char_p),
        ("mapping", ctypes.c_char_p),
        ("schema", ctypes.c_char_p),
        ("record", ctypes.c_char_p),
        ("indent", ctypes.c_int),
        ("standard", ctypes.c_char_p),
        ("encoding", ctypes.c_char_p),
        ("jobs", ctypes.c_int),
    ]


_SINK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
_READ = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)


class _ConvertJob(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("path", ctypes.c_char_p),
        ("data", ctypes.c_void_p),
        ("len", ctypes.c_size_t),
        ("fp", ctypes.c_void_p),
        ("read", _READ),
        ("read_ctx", ctypes.c_void_p),
        ("out", _SINK),
        ("out_ctx", ctypes.c_void_p),
        ("rejects", _SINK),
        ("rejects_ctx", ctypes.c_void_p),
        ("first_line", ctypes.c_long),
        ("records_before", ctypes.c_long),
        ("records", ctypes.c_long),
        ("written", ctypes.c_long),
        ("rejected", ctypes.c_long),
    ]

_SEVERITY = {0: "error", 1: "warning", 2: "info"}
_STATUS = {0: "valid", 1: "invalid", 2: "failed", 3: "well-formed"}


def _find_library():
    env = os.environ.get("CHUAN_LIBRARY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    for build in ("build", "build-san"):
        cand = os.path.join(here, "..", "..", build, "libchuan.so")
        if os.path.exists(cand):
            return os.path.normpath(cand)
    return ctypes.util.find_library("chuan") or "libchuan.so.0"


def _load():
    lib = ctypes.CDLL(_find_library())
    vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    pd = ctypes.POINTER(_Diags)
    lib.chuan_diags_init.argtypes = [pd, sz]
    lib.chuan_diags_clear.argtypes = [pd]
    lib.chuan_validator_new.argtypes = [ctypes.POINTER(_ValidatorOpts), pd]
    lib.chuan_validator_new.restype = vp
    lib.chuan_validator_free.argtypes = [vp]
    lib.chuan_validate_file.argtypes = [vp, cp, cp, ctypes.POINTER(_FileResult)]
    lib.chuan_validate_buffer.argtypes = [vp, cp, ctypes.c_char_p, sz, cp,
                                          ctypes.POINTER(_FileResult)]
    lib.chuan_file_result_clear.argtypes = [ctypes.POINTER(_FileResult)]
    lib.chuan_converter_new.argtypes = [ctypes.POINTER(_ConverterOpts), pd]
    lib.chuan_converter_new.restype = vp
    lib.chuan_converter_free.argtypes = [vp]
    lib.chuan_convert_file.argtypes = [vp, cp, _SINK, vp, pd]
    lib.chuan_convert_buffer.argtypes = [vp, cp, ctypes.c_char_p, sz, _SINK, vp, pd]
    lib.chuan_validate_read.argtypes = [vp, cp, _READ, vp, cp, ctypes.POINTER(_FileResult)]
    lib.chuan_convert.argtypes = [vp, ctypes.POINTER(_ConvertJob), pd]
    return lib


_lib = None


def _libchuan():
    global _lib
    if _lib is None:
        _lib = _load()
    return _lib


def _s(b):
    return None if b is None else b.decode("utf-8", "replace")


def _enc(s):
    if s is None:
        return None
    return os.fsencode(s) if isinstance(s, os.PathLike) else str(s).encode("utf-8")


def _diag_list(d):
    out = []
    for i in range(d.count):
        g = d.items[i]
        item = {"severity": _SEVERITY.get(g.severity, "error"), "code": _s(g.code),
                "message": _s(g.message)}
        for key in ("message_vi", "file", "path", "source", "keyword_location",
                    "schema_location", "properties"):
            v = _s(getattr(g, key))
            if v is not None:
                item[key] = v
        if g.line > 0:
            item["line"] = g.line
        if g.column > 0:
            item["column"] = g.column
        if g.offset >= 0:
            item["offset"] = g.offset
        out.append(item)
    return out


def _is_bytes(payload):
    return isinstance(payload, (bytes, bytearray, memoryview))


def _is_stream(payload):
    return hasattr(payload, "read") and not isinstance(payload, (str, bytes, os.PathLike))


def _reader(stream, errors):
    """A chuan_read_fn over a Python binary stream; an exception stops the read (<0)
    and is kept in errors."""

    def read(_ctx, buf, size):
        try:
            chunk = stream.read(size)
        except Exception as e:  # noqa: BLE001 - handed back to the caller below
            errors.append(e)
            return -1
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        n = len(chunk)
        if n:
            ctypes.memmove(buf, chunk, n)
        return n

    return _READ(read)


class _Handle:
    """A C object of libchuan: made by `new` from options (NULL with the
    reasons as diagnostics), released by `free` once."""
    _new = _free = None

    def _make(self, opts, what):
        lib = _libchuan()
        errors = _Diags()
        lib.chuan_diags_init(ctypes.byref(errors), 0)
        self._h = getattr(lib, self._new)(ctypes.byref(opts), ctypes.byref(errors))
        diags = _diag_list(errors)
        lib.chuan_diags_clear(ctypes.byref(errors))
        if not self._h:
            raise ChuanError(what + ": " + "; ".join(d["message"] or "" for d in diags), diags)

    def close(self):
        if getattr(self, "_h", None):
            getattr(_libchuan(), self._free)(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class Validator(_Handle):
    """A schema or standard compiled once; call validate() any number of
    times (from any thread)."""
    _new, _free = "chuan_validator_new", "chuan_validator_free"

    def __init__(self, standard=None, schema=None, schema_text=None, schema_type=None,
                 draft=None, as_of=None, assert_formats=False, max_errors=0):
        self._keep = [_enc(standard), _enc(schema), _enc(schema_type), _enc(draft), _enc(as_of)]
        text = schema_text.encode("utf-8") if isinstance(schema_text, str) else schema_text
        self._keep.append(text)
        opts = _ValidatorOpts(schema=self._keep[1], schema_type=self._keep[2],
                              standard=self._keep[0], draft=self._keep[3], as_of=self._keep[4],
                              assert_formats=1 if assert_formats else 0, max_errors=max_errors)
        if text is not None:
            opts.schema_text = ctypes.cast(ctypes.c_char_p(text), ctypes.c_void_p)
            opts.schema_len = len(text)
        self._make(opts, "the schema or standard does not compile")

    def validate(self, payload, format=None, name=None):
        """payload: a path (str or os.PathLike), the payload itself (bytes) or a binary
        stream (read to its end; named by `name`, else its .name).
        Returns {"file", "format", "standard", "status": valid|invalid|well-formed
        (well-formed: no schema or standard given, only well-formedness checked),
        "records", "errors", "warnings", "diagnostics": [...]}; raises
        ChuanError when the payload could not be checked (status failed)."""
        lib = _libchuan()
        res = _FileResult()
        if _is_bytes(payload):
            data = bytes(payload)
            rc = lib.chuan_validate_buffer(self._h, _enc(name or "<bytes>"), data, len(data),
                                           _enc(format), ctypes.byref(res))
        elif _is_stream(payload):
            errors = []
            cb = _reader(payload, errors)
            rc = lib.chuan_validate_read(self._h, _enc(name or getattr(payload, "name", None)
                                                       or "<stream>"),
                                         cb, None, _enc(format), ctypes.byref(res))
            if errors:
                lib.chuan_file_result_clear(ctypes.byref(res))
                raise errors[0]
        else:
            rc = lib.chuan_validate_file(self._h, _enc(payload), _enc(format), ctypes.byref(res))
        out = {"file": _s(res.file), "format": _s(res.format), "standard": _s(res.standard),
               "status": _STATUS.get(res.status, "failed"), "records": res.records,
               "errors": res.diags.errors, "warnings": res.diags.warnings,
               "dropped": res.diags.dropped, "diagnostics": _diag_list(res.diags)}
        lib.chuan_file_result_clear(ctypes.byref(res))
        if rc < 0:
            raise ChuanError("could not check %s" % out["file"], out["diagnostics"])
        return out


class Conversion:
    """The result of convert(): ``data`` (bytes), ``rejects`` (bytes: one NDJSON line per
    rejected record, as ``chuan convert --rejects F`` writes; None when not kept), ``ok``
    (every record converted and valid), ``diagnostics`` (dicts), and the counts
    ``records``, ``written``, ``rejected``."""

    def __init__(self, data, ok, diagnostics, rejects=None, records=0, written=0, rejected=0):
        self.data, self.ok, self.diagnostics = data, ok, diagnostics
        self.rejects = rejects
        self.records, self.written, self.rejected = records, written, rejected

    def __repr__(self):
        return "Conversion(%d bytes, ok=%s, %d diagnostics, %s rejects)" % (
            len(self.data), self.ok, len(self.diagnostics),
            "no" if self.rejects is None else "%d bytes of" % len(self.rejects))


class Converter(_Handle):
    """A conversion set up once (target format, mapping, schema or standard); call
    convert() any number of times (from any thread). With standard= (or a JSON Schema
    as schema=) every record is validated on the way: `chuan convert -s ID`."""
    _new, _free = "chuan_converter_new", "chuan_converter_free"

    def __init__(self, to, from_=None, mapping=None, schema=None, record=None, indent=0,
                 standard=None, encoding=None, jobs=0):
        self._keep = [_enc(from_), _enc(to), _enc(mapping), _enc(schema), _enc(record),
                      _enc(standard), _enc(encoding)]
        self._validating = standard is not None or (
            schema is not None and str(schema).endswith(".json"))
        opts = _ConverterOpts(*self._keep[:5], indent, self._keep[5], self._keep[6], jobs)
        self._make(opts, "cannot set up the conversion")

    def convert(self, payload, name=None, rejects=None, first_line=0, records_before=0):
        """payload: a path, bytes or a binary stream. rejects: keep the rejects (default:
        when validating). first_line, records_before: this payload is a partition of a
        larger NDJSON or CSV input (a CSV partition starts with the header line): the line
        its first record starts on in the whole input and the records before it (CSV: the
        header not counted); diagnostics and rejects then carry the whole input's lines.
        Raises ChuanError when the conversion cannot run."""
        lib = _libchuan()
        chunks, rej = [], []

        def sink_to(lst):
            def sink(_ctx, data, n):
                lst.append(ctypes.string_at(data, n))
                return 0
            return _SINK(sink)

        keep = self._validating if rejects is None else bool(rejects)
        job = _ConvertJob()
        job.out = sink_to(chunks)
        if keep:
            job.rejects = sink_to(rej)
        job.first_line, job.records_before = first_line, records_before
        errors = []
        hold = []
        if _is_bytes(payload):
            data = bytes(payload)
            hold.append(data)
            job.name = _enc(name or "<bytes>")
            job.data = ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p)
            job.len = len(data)
        elif _is_stream(payload):
            job.name = _enc(name or getattr(payload, "name", None) or "<stream>")
            job.read = _reader(payload, errors)
        else:
            job.path = _enc(payload)
            job.name = _enc(name) if name else job.path
        d = _Diags()
        lib.chuan_diags_init(ctypes.byref(d), 0)
        rc = lib.chuan_convert(self._h, ctypes.byref(job), ctypes.byref(d))
        diags = _diag_list(d)
        lib.chuan_diags_clear(ctypes.byref(d))
        if errors:
            raise errors[0]
        if rc < 0:
            raise ChuanError("could not convert: " +
                             "; ".join(x["message"] or "" for x in diags), diags)
        return Conversion(b"".join(chunks), rc == 0, diags, b"".join(rej) if keep else None,
                          job.records, job.written, job.rejected)


def validate(payload, standard=None, schema=None, format=None, **kw):
    """Validate a path, bytes or a binary stream against a standard package or a schema
    (neither: well-formedness only). See Validator.validate()."""
    name = kw.pop("name", None)
    with Validator(standard=standard, schema=schema, **kw) as v:
        return v.validate(payload, format=format, name=name)


def convert(payload, to, from_=None, mapping=None, schema=None, record=None, indent=0,
            standard=None, encoding=None, jobs=0, **kw):
    """Convert a path, bytes or stream to `to` (xml, json, ndjson, csv); with
    standard= the records are validated on the way and the failing ones are in
    .rejects. Returns a Conversion; raises ChuanError when the conversion cannot run.
    kw: name, rejects, first_line, records_before (see Converter.convert)."""
    with Converter(to, from_=from_, mapping=mapping, schema=schema, record=record,
                   indent=indent, standard=standard, encoding=encoding, jobs=jobs) as c:
        return c.convert(payload, **kw)
