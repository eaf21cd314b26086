"""The qcluster process as the subreaper of its cluster (Linux).

When django-q2's sentinel dies (SIGKILL, the OOM killer), its pusher, monitor and workers
would be re-parented to init and keep running unseen, still holding the abandoned queues
and perhaps a task. As a child subreaper, the qcluster process becomes their parent
instead, so it can end them before it starts a fresh cluster, and reap them.
"""
import ctypes
import logging
import os
import signal

logger = logging.getLogger("tasks.sentinel")

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants; False where the kernel cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children() -> list[int]:
    """This process's children, from /proc (orphans adopted included)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:  # fields: state, ppid, ...
            found.append(int(entry))
    return found


def orphans_end(*, keep: set[int]) -> int:
    """Kill and reap every child but `keep` (the live sentinel); return how many."""
    ended = 0
    for pid in _children():
        if pid in keep:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            ended += 1
        except (ProcessLookupError, ChildProcessError):
            pass
    if ended:
        logger.warning("ended %d process(es) left by the dead sentinel", ended)
    return ended
