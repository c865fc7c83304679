#ifndef CNODE_SUPPORT_H
#define CNODE_SUPPORT_H

/// Installs handlers for the fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
/// SIGTRAP) that close every listening socket of the process, then run the handler that
/// was installed before (the Swift runtime's backtracer, which prints the crash report),
/// then let the signal kill the process. A crashed node so gives up its port at once
/// rather than once its crash report is written, and a node restarted straight away can
/// bind it. Call it once, after the runtime has installed its handlers; a signal whose
/// handler is SIG_IGN is left alone. Returns 0, or the errno of a failed sigaction.
int scribe_release_listening_sockets_on_crash(void);

/// Sets close-on-exec on every listening socket of the process, so that no program it
/// runs inherits one (and with it the port). Returns how many it found.
int scribe_listening_sockets_set_cloexec(void);

#endif
