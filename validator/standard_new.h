/* validator/standard_new.h - the scaffold of a new standard package (`chuan new standard ID`). */
#ifndef CHUAN_STANDARD_NEW_H
#define CHUAN_STANDARD_NEW_H

#include "../core/core.h"


/* Write the package parent/id (a new folder, never an existing one). Returns 0 with *made (the
 * folder, new string), 1 when refused (bad id, parent not a folder, parent/id exists), <0 when it
 * could not be written (nothing is left behind); diagnostics in d. */
int chuanp_standard_new(const char *id, const char *parent, char **made, chuan_diags *d);

#endif /* CHUAN_STANDARD_NEW_H */
