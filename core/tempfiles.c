/* core/tempfiles.c - every temporary file chuan creates, registered so that
 * SIGINT, SIGTERM and SIGHUP remove them before the process dies.
 *
 * The registry is a fixed array of slots, each with its own path buffer and
 * an atomic state: a thread claims a free slot (compare-and-swap), copies
 * the path, then publishes it (READY); unregistering sets the slot FREE
 * again. The handler only reads READY slots and calls unlink(2) (then rmdir(2), newest first,
 * for registered folders), then
 * restores the default action and re-raises the signal, so the exit status
 * is the conventional one (128 + signal number in a shell). Paths are
 * unregistered after a rename, so a late signal unlinks a name that no
 * longer exists: harmless. Unique names (mkstemp) make a collision with
 * another run's file impossible. */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 256
enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };

static struct {
    atomic_int state;
    char path[PATH_MAX];
} slots[SLOTS];

int chuanp_temp_register(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < SLOTS; i++) {
        int want = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&slots[i].state, &want, SLOT_BUSY))
            continue;
        memcpy(slots[i].path, path, n + 1);
        atomic_store(&slots[i].state, SLOT_READY);
        return i + 1;
    }
    return -1;
}

void chuanp_temp_unregister(int slot)
{
    if (slot > 0 && slot <= SLOTS)
        atomic_store(&slots[slot - 1].state, SLOT_FREE);
}

void chuanp_temp_remove_all(void)
{
    for (int i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_READY)
            unlink(slots[i].path);
    /* registered folders (a package being scaffolded), emptied by the pass above: the newest
     * first, so a folder goes after the folders registered inside it */
    for (int i = SLOTS - 1; i >= 0; i--)
        if (atomic_load(&slots[i].state) == SLOT_READY)
            rmdir(slots[i].path);
}

static void on_signal(int sig)
{
    int saved = errno;
    chuanp_temp_remove_all();
    signal(sig, SIG_DFL);
    errno = saved;
    raise(sig); /* delivered when the handler returns (the signal is blocked in it) */
}

void chuanp_temp_install_handlers(void)
{
    static atomic_int done;
    if (atomic_exchange(&done, 1))
        return;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old, sa;
        /* a signal ignored when chuan started (nohup, a background job of a
         * non-interactive shell) stays ignored; a program's own handler
         * (a fuzzer, an embedding application) stays */
        if (sigaction(sigs[i], NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) ||
            old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++)
            sigaddset(&sa.sa_mask, sigs[k]);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* A new file "<path>.chuan-<kind>.<pid>-<random>" created with O_EXCL in the
 * folder of path, registered before it exists (so no signal can fall
 * between its creation and its registration; the process id in the name
 * keeps another live run from ever owning that name). */
int chuanp_temp_create(const char *path, const char *kind, unsigned mode, char **tmp_path,
                       int *slot)
{
    static atomic_uint counter;
    *tmp_path = NULL;
    *slot = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned r = (unsigned)ts.tv_nsec ^ ((unsigned)ts.tv_sec << 7) ^
                     (atomic_fetch_add(&counter, 1) * 2654435761u);
        char *p = chuanp_asprintf("%s.chuan-%s.%ld-%06x", path, kind, (long)getpid(),
                                  r & 0xFFFFFF);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        int s = chuanp_temp_register(p);
        if (s <= 0) {
            chuanp_free(p);
            errno = EMFILE;
            return -1;
        }
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
        if (fd >= 0) {
            *tmp_path = p;
            *slot = s;
            return fd;
        }
        int e = errno;
        chuanp_temp_unregister(s);
        chuanp_free(p);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

void chuanp_keep_mode(int fd, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        (void)fchmod(fd, st.st_mode & 01777); /* not fatal: the file keeps the default */
}
