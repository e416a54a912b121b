/* tests/unit/unit.h - common includes for cmocka unit tests. */
#ifndef CHUAN_UNIT_H
#define CHUAN_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../core/core.h"

/* Tests may read fixtures relative to the repository root (make runs there). */
#endif
