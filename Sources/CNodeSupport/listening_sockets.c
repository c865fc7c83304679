#define _GNU_SOURCE
#include "CNodeSupport.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Everything the signal handler reaches is async-signal-safe: open, close, dup3, fcntl,
   getsockopt, sigaction, raise and the getdents64 system call, no allocation, no stdio. */

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define FATAL_SIGNAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])

/* The handlers installed before ours, chained to from ours. */
static struct sigaction previous_actions[FATAL_SIGNAL_COUNT];
static int installed;

/* Open on /dev/null. Each listening socket's descriptor is made a copy of it rather than
   closed: the socket is released all the same, but the number stays taken, so no other
   thread's new file gets it while the crash is handled, and SwiftNIO never sees a
   descriptor it registered become invalid. -1 when /dev/null cannot be opened: then the
   sockets are closed. */
static int null_descriptor = -1;

/* How many descriptor numbers to try when /proc/self/fd cannot be opened (when every
   descriptor is taken, for one): the soft RLIMIT_NOFILE, at most 1 << 20. */
static long descriptor_limit = 1024;

static int is_listening(int descriptor) {
    int value = 0;
    socklen_t length = sizeof value;
    return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0 && value != 0;
}

/* A record of getdents64; glibc declares none. */
struct directory_entry {
    uint64_t inode;
    int64_t offset;
    unsigned short length;
    unsigned char type;
    char name[];
};

/* The descriptor a /proc/self/fd entry names, or -1 for "." and "..". */
static int descriptor_named(const char *name) {
    if (*name == 0) return -1;
    int value = 0;
    for (; *name; name++) {
        if (*name < '0' || *name > '9' || value > (INT32_MAX - 9) / 10) return -1;
        value = value * 10 + (*name - '0');
    }
    return value;
}

/* Calls `visit` with every open descriptor: those /proc/self/fd lists (read with
   getdents64, since opendir allocates), else every number below descriptor_limit. */
static void for_each_descriptor(void (*visit)(int descriptor, int *count), int *count) {
    int directory = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directory < 0) {
        for (long descriptor = 0; descriptor < descriptor_limit; descriptor++) visit((int)descriptor, count);
        return;
    }
    long buffer[256];
    for (;;) {
        long bytes = syscall(SYS_getdents64, directory, buffer, sizeof buffer);
        if (bytes < 0 && errno == EINTR) continue;
        if (bytes <= 0) break;
        for (long offset = 0; offset < bytes;) {
            const struct directory_entry *entry = (const struct directory_entry *)((const char *)buffer + offset);
            offset += entry->length;
            int descriptor = descriptor_named(entry->name);
            if (descriptor >= 0 && descriptor != directory) visit(descriptor, count);
        }
    }
    close(directory);
}

static void release_if_listening(int descriptor, int *count) {
    if (!is_listening(descriptor)) return;
    if (null_descriptor < 0 || dup3(null_descriptor, descriptor, O_CLOEXEC) < 0) close(descriptor);
    ++*count;
}

static void set_cloexec_if_listening(int descriptor, int *count) {
    if (!is_listening(descriptor)) return;
    int flags = fcntl(descriptor, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC);
    ++*count;
}

static const struct sigaction *previous_action(int signal_number) {
    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++) {
        if (fatal_signals[i] == signal_number) return &previous_actions[i];
    }
    return NULL;
}

static void on_fatal_signal(int signal_number, siginfo_t *info, void *context) {
    int saved_errno = errno;
    int released = 0;
    for_each_descriptor(release_if_listening, &released);

    const struct sigaction *previous = previous_action(signal_number);
    if (previous != NULL) {
        if (previous->sa_flags & SA_SIGINFO) {
            if (previous->sa_sigaction != NULL) previous->sa_sigaction(signal_number, info, context);
        } else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
            previous->sa_handler(signal_number);
        }
    }

    /* The signal is fatal whatever the previous handler did (the Swift runtime's returns
       after its report, expecting the fault to happen again). With the default action
       back, a fault does happen again once this returns; a signal that was sent (kill,
       raise, abort: si_code <= 0) or a trap that does not recur (SIGTRAP) is raised again. */
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal_number, &default_action, NULL);
    if (info == NULL || info->si_code <= 0 || signal_number == SIGTRAP) raise(signal_number);
    errno = saved_errno;
}

int scribe_release_listening_sockets_on_crash(void) {
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) return 0;
    null_descriptor = open("/dev/null", O_RDWR | O_CLOEXEC);
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        descriptor_limit = limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > (1 << 20) ? (1 << 20) : (long)limit.rlim_cur;
    }
    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++) {
        if (sigaction(fatal_signals[i], NULL, &previous_actions[i]) != 0) return errno;
        if (!(previous_actions[i].sa_flags & SA_SIGINFO) && previous_actions[i].sa_handler == SIG_IGN) continue;
        /* The previous handler runs inside ours, so ours takes its mask and its stack and
           reentrancy flags (the Swift runtime's: its alternate stack, SA_NODEFER). */
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = on_fatal_signal;
        action.sa_mask = previous_actions[i].sa_mask;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK | (previous_actions[i].sa_flags & SA_NODEFER);
        if (sigaction(fatal_signals[i], &action, NULL) != 0) return errno;
    }
    return 0;
}

int scribe_listening_sockets_set_cloexec(void) {
    int count = 0;
    for_each_descriptor(set_cloexec_if_listening, &count);
    return count;
}
