/* validator/standard_new.c - `chuan new standard ID`: the scaffold of a standard package (manifest,
 * model with one example rule, Table Schema, XML record path, fixtures with expectations, README)
 * that passes `chuan lint` and `chuan test` as created. Written in a temporary folder beside the
 * target and renamed into place, so a package is either complete or absent. */
#include "standard_new.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* {ID} is replaced by the id, {RULE} by the example rule's id (ID upper-cased, "-001"). */
static const struct {
    const char *path; /* relative to the package; {ID} replaced too */
    const char *text;
} files[] = {
    {"standard.json",
     "{\n"
     "  \"id\": \"{ID}\",\n"
     "  \"title\": {\"en\": \"{ID}: a new standard package (describe the data category)\", "
     "\"vi\": \"{ID}: gói chuẩn mới (mô tả loại dữ liệu)\"},\n"
     "  \"version\": \"0.1.0\",\n"
     "  \"status\": {\"state\": \"draft\", \"valid_from\": null, \"valid_to\": null, "
     "\"replaced_by\": null},\n"
     "  \"regulations\": [\n"
     "    {\"id\": \"PLACEHOLDER 1/2026\", \"title\": \"Replace with the regulation the package "
     "models (number, article)\", \"issued_by\": \"-\"}\n"
     "  ],\n"
     "  \"unofficial\": true,\n"
     "  \"model\": \"schema/model.schema.json\",\n"
     "  \"formats\": {\n"
     "    \"json\": {\"records\": \"/data\"},\n"
     "    \"ndjson\": {},\n"
     "    \"xml\": {\"record\": \"/DanhSach/BanGhi\"},\n"
     "    \"csv\": {\"tableschema\": \"schema/{ID}.tableschema.json\"}\n"
     "  },\n"
     "  \"codelists\": [],\n"
     "  \"fixtures\": \"fixtures\"\n"
     "}\n"},
    {"schema/model.schema.json",
     "{\n"
     "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
     "  \"$id\": \"urn:chuan:std:{ID}\",\n"
     "  \"title\": \"One record of {ID}\",\n"
     "  \"description\": \"Record model of the {ID} package: replace the example fields with the "
     "regulation's.\",\n"
     "  \"type\": \"object\",\n"
     "  \"allOf\": [\n"
     "    {\n"
     "      \"rule\": {\n"
     "        \"id\": \"{RULE}\",\n"
     "        \"severity\": \"error\",\n"
     "        \"message\": {\"en\": \"A required field is missing\", \"vi\": \"Thiếu trường bắt "
     "buộc\"},\n"
     "        \"source\": \"PLACEHOLDER 1/2026, Điều 1 (replace with the article that makes the "
     "fields required)\"\n"
     "      },\n"
     "      \"required\": [\"Ma\", \"Ten\"],\n"
     "      \"properties\": {\n"
     "        \"Ma\": {\"type\": \"string\"},\n"
     "        \"Ten\": {\"type\": \"string\"},\n"
     "        \"GhiChu\": {\"type\": \"string\"}\n"
     "      }\n"
     "    }\n"
     "  ]\n"
     "}\n"},
    {"schema/{ID}.tableschema.json",
     "{\n"
     "  \"$comment\": \"CSV layout of {ID}: one record per row, one column per field of the "
     "model.\",\n"
     "  \"fields\": [\n"
     "    {\"name\": \"Ma\", \"type\": \"string\"},\n"
     "    {\"name\": \"Ten\", \"type\": \"string\"},\n"
     "    {\"name\": \"GhiChu\", \"type\": \"string\"}\n"
     "  ]\n"
     "}\n"},
    {"fixtures/valid/example.json", "{\"data\": [\n  {\"Ma\": \"001\", \"Ten\": \"Bản ghi ví dụ\"}\n]}\n"},
    {"fixtures/valid/example.ndjson", "{\"Ma\": \"001\", \"Ten\": \"Bản ghi ví dụ\"}\n"},
    {"fixtures/valid/example.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DanhSach>\n  <BanGhi>\n    <Ma>001</Ma>\n"
     "    <Ten>Bản ghi ví dụ</Ten>\n  </BanGhi>\n</DanhSach>\n"},
    {"fixtures/valid/example.csv", "Ma,Ten,GhiChu\n001,Bản ghi ví dụ,\n"},
    {"fixtures/invalid/missing-ten.json", "{\"data\": [\n  {\"Ma\": \"002\"}\n]}\n"},
    {"fixtures/invalid/missing-ten.json.expected", "{RULE}\t2:3\t/data/0\n"},
    {"fixtures/invalid/missing-ten.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DanhSach>\n  <BanGhi>\n    <Ma>002</Ma>\n"
     "  </BanGhi>\n</DanhSach>\n"},
    {"fixtures/invalid/missing-ten.xml.expected", "{RULE}\t3:3\t/DanhSach/BanGhi[1]\n"},
    {"fixtures/invalid/missing-ten.csv", "Ma,Ten,GhiChu\n002,,\n"},
    {"fixtures/invalid/missing-ten.csv.expected", "{RULE}\t2:1\trow 2\n"},
    {"README.md",
     "# {ID} — describe the data category here\n"
     "\n"
     "**Not an official copy** (until the fields below are checked against the regulation). Name the\n"
     "regulations the package models in `standard.json` (\"regulations\") and cite the article of each\n"
     "rule in its \"source\"; replace the placeholder `PLACEHOLDER 1/2026`.\n"
     "\n"
     "## What it models\n"
     "One **record** is one example entry: Ma (code, required), Ten (name, required), GhiChu (note,\n"
     "optional). Replace them with the fields of the regulation in `schema/model.schema.json`, the CSV\n"
     "columns in `schema/{ID}.tableschema.json`, and the fixtures.\n"
     "\n"
     "| Format | Where the records are |\n"
     "|---|---|\n"
     "| JSON | `/data` of `{\"data\": [...]}` |\n"
     "| NDJSON | one record per line |\n"
     "| XML | `/DanhSach/BanGhi` |\n"
     "| CSV | one record per row, `schema/{ID}.tableschema.json` |\n"
     "\n"
     "## Rules\n"
     "| Rule | Severity | Message | Source |\n"
     "|---|---|---|---|\n"
     "| {RULE} | error | A required field is missing | PLACEHOLDER 1/2026, Điều 1 |\n"
     "\n"
     "## Fixtures\n"
     "`fixtures/valid/` holds payloads that must pass; each `fixtures/invalid/NAME` comes with\n"
     "`NAME.expected` (rule, line:column, path per line). After changing a fixture run\n"
     "`chuan test --update .` and review the `.expected` files; `chuan lint .` and `chuan test .` must\n"
     "stay clean (every rule named by an invalid fixture).\n"},
};

static const char *const dirs[] = {"schema", "fixtures", "fixtures/valid", "fixtures/invalid"};

/* 1 when id can name a package: [a-z0-9][a-z0-9._-]*, at most 64 bytes. */
static int standard_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64 || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9')))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-' ||
              id[i] == '_' || id[i] == '.'))
            return 0;
    return 1;
}

/* text with {ID} and {RULE} replaced (new string) */
static char *expand(const char *text, const char *id, const char *rule)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (const char *p = text; *p;) {
        if (strncmp(p, "{ID}", 4) == 0) {
            chuanp_buf_puts(&b, id);
            p += 4;
        } else if (strncmp(p, "{RULE}", 6) == 0) {
            chuanp_buf_puts(&b, rule);
            p += 6;
        } else {
            chuanp_buf_putc(&b, *p++);
        }
    }
    char *s = b.err ? NULL : chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    return s;
}

static void fail(chuan_diags *d, const char *code, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(chuan_diags *d, const char *code, const char *file, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = file, .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(d, &dg, fmt, ap);
    va_end(ap);
}

/* Remove what the scaffold wrote below tmp (files, then folders, then tmp). */
static void remove_tmp(const char *tmp, const char *id)
{
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *rel = expand(files[i].path, id, "");
        char *p = rel ? chuanp_asprintf("%s/%s", tmp, rel) : NULL;
        if (p)
            unlink(p);
        chuanp_free(p);
        chuanp_free(rel);
    }
    for (size_t i = sizeof dirs / sizeof *dirs; i-- > 0;) {
        char *p = chuanp_asprintf("%s/%s", tmp, dirs[i]);
        if (p)
            rmdir(p);
        chuanp_free(p);
    }
    rmdir(tmp);
}

int chuanp_standard_new(const char *id, const char *parent, char **made, chuan_diags *d)
{
    *made = NULL;
    if (!standard_id_ok(id)) {
        fail(d, "new.id", NULL,
             "'%s' is not a package id: lower-case letters, digits, '-', '_' or '.', starting with a "
             "letter or digit, at most 64 characters",
             id);
        return 1;
    }
    struct stat st;
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fail(d, "new.dir", parent, "%s is not a folder", parent);
        return 1;
    }
    char rule[80];
    size_t k = 0;
    for (const char *p = id; *p && k < sizeof rule - 5; p++)
        rule[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : (*p == '_' || *p == '.') ? '-' : *p;
    memcpy(rule + k, "-001", 5);
    char *final = chuanp_asprintf("%s/%s", parent, id);
    char *tmp = chuanp_asprintf("%s/.%s.new-XXXXXX", parent, id);
    int rc = -1, made_tmp = 0;
    int slots[1 + sizeof dirs / sizeof *dirs + sizeof files / sizeof *files];
    size_t nslots = 0;
    if (!final || !tmp) {
        fail(d, "internal.oom", NULL, "out of memory");
        goto out;
    }
    if (lstat(final, &st) == 0) {
        fail(d, "new.exists", final, "%s exists: refusing to overwrite it", final);
        rc = 1;
        goto out;
    }
    if (!mkdtemp(tmp)) {
        fail(d, "new.write", tmp, "cannot create a folder in %s: %s", parent, chuanp_strerror(errno));
        goto out;
    }
    made_tmp = 1;
    /* a signal removes what is registered (files, then folders, core/tempfiles.c) */
    slots[nslots++] = chuanp_temp_register(tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (chmod(tmp, 0777 & ~mask) != 0) {
        fail(d, "new.write", tmp, "cannot set the mode of %s: %s", tmp, chuanp_strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        char *p = chuanp_asprintf("%s/%s", tmp, dirs[i]);
        if (p)
            slots[nslots++] = chuanp_temp_register(p);
        int ok = p && mkdir(p, 0777) == 0;
        if (!ok)
            fail(d, "new.write", p, "cannot create %s: %s", p ? p : dirs[i], p ? chuanp_strerror(errno) : "out of memory");
        chuanp_free(p);
        if (!ok)
            goto out;
    }
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *rel = expand(files[i].path, id, rule);
        char *text = expand(files[i].text, id, rule);
        char *p = rel ? chuanp_asprintf("%s/%s", tmp, rel) : NULL;
        if (p)
            slots[nslots++] = chuanp_temp_register(p);
        FILE *fp = p && text ? fopen(p, "wbx") : NULL;
        int ok = fp && fputs(text, fp) >= 0;
        if (fp && fclose(fp) != 0)
            ok = 0;
        if (!ok)
            fail(d, "new.write", p, "cannot write %s: %s", p ? p : files[i].path,
                 p && text ? chuanp_strerror(errno) : "out of memory");
        chuanp_free(rel);
        chuanp_free(text);
        chuanp_free(p);
        if (!ok)
            goto out;
    }
    /* a run that lost an allocation anywhere publishes nothing (as atomic outputs do) */
    if (chuanp_alloc_failures() > 0) {
        fail(d, "internal.oom", final, "out of memory: %s not created", final);
        goto out;
    }
    /* the target may have appeared meanwhile: rename() would replace an empty folder */
    if (lstat(final, &st) == 0) {
        fail(d, "new.exists", final, "%s exists: refusing to overwrite it", final);
        rc = 1;
        goto out;
    }
    if (rename(tmp, final) != 0) {
        fail(d, "new.write", final, "cannot create %s: %s", final, chuanp_strerror(errno));
        goto out;
    }
    made_tmp = 0;
    *made = final;
    final = NULL;
    rc = 0;
out:
    if (made_tmp)
        remove_tmp(tmp, id);
    for (size_t i = 0; i < nslots; i++)
        chuanp_temp_unregister(slots[i]);
    chuanp_free(final);
    chuanp_free(tmp);
    return rc;
}
