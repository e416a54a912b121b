/*
 * core/confine.h - where a schema may read its resources from.
 *
 * A schema being compiled (XSD include/import/redefine, DTD external
 * entities met while parsing it, RELAX NG externalRef/include, JSON Schema
 * $ref to a local file) may read only regular files below its roots: the
 * schema's own folder, the package folder when the schema comes from a
 * standard package, and the --ref mappings. Paths are compared after
 * realpath(), so neither "../" nor a symbolic link leads out. A file is
 * opened with O_NONBLOCK and checked with fstat() before a byte is read: a
 * FIFO, a device or a directory is refused and never blocks.
 *
 * libxml2 reads through the entity loader of chuanp_confine_install (called by
 * chuan_main and the XML engine): while a confinement is active on the
 * thread (chuanp_confine_enter), everything it loads is checked against it
 * and every refusal is recorded (the compile then fails, exit 2, even where
 * libxml2 itself only warns, as for a failed xs:import). Outside a schema
 * compile it still refuses non-regular files and the network.
 */
#ifndef CHUAN_CONFINE_H
#define CHUAN_CONFINE_H

#include "core.h"

#include <libxml/parser.h>

typedef struct chuanp_confine {
    char **roots;        /* real paths of folders */
    size_t nroots;
    const char *what;    /* "the schema", for messages */
    chuan_diags *diags;  /* refusals go here (may be NULL) */
    const char *file;    /* the schema file named in those diagnostics */
    int refused;         /* resources refused so far */
    int oom;
} chuanp_confine;

void chuanp_confine_init(chuanp_confine *c, chuan_diags *diags, const char *file);
/* Allow the folder dir (its whole tree). A folder that does not exist is
 * ignored. Returns 0, -1 out of memory. */
int chuanp_confine_add_dir(chuanp_confine *c, const char *dir);
/* Allow the folder holding file (or file itself when it is a folder); when
 * file is a symbolic link, the folder of its target too. */
int chuanp_confine_add_parent(chuanp_confine *c, const char *file);
void chuanp_confine_free(chuanp_confine *c);

/* Read the regular file at path (at most limit bytes, NUL-terminated).
 * c NULL: anywhere. Returns 0; 1 refused (outside the roots, not a regular
 * file; *why says so and the refusal is recorded in c); -1 could not read
 * (missing, too large, out of memory; *why). The caller frees *why. */
int chuanp_confine_read(chuanp_confine *c, const char *path, size_t limit, char **data,
                        size_t *len, char **why);

/* Make c the confinement of libxml2's loads on this thread; returns the
 * previous one, to give back to chuanp_confine_leave. */
chuanp_confine *chuanp_confine_enter(chuanp_confine *c);
void chuanp_confine_leave(chuanp_confine *prev);

/* Install the libxml2 external entity loader (xmlSetExternalEntityLoader) that applies the
 * confinement (idempotent). */
void chuanp_confine_install(void);

#endif /* CHUAN_CONFINE_H */
