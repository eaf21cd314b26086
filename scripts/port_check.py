"""Exit 0 if HOST:PORT is free to listen on; else say which process holds it and exit 1.

Run by scripts/run.sh before it installs or migrates anything, with the system's python3
(the virtualenv may not exist yet): standard library only. The holder is found the way
`ss -ltnp` finds it, from /proc (Linux); a process of another user cannot be seen there.
"""
import os
import socket
import sys


def port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As a server binds: a connection of a stopped server waiting in TIME_WAIT does not
        # hold the port, a listening socket does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    fields = row.split()
                    local, state, inode = fields[1], fields[3], fields[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(inode)
        except OSError:
            continue
    return inodes


def port_holders(port: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes listening on `port` that this user can see."""
    sockets = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    holders = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            if not any(os.readlink(f"/proc/{pid}/fd/{fd}") in sockets for fd in fds):
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        holders.append((int(pid), command))
    return holders


def main() -> int:
    host, port = sys.argv[1], int(sys.argv[2])
    if port_free(host, port):
        return 0
    holders = port_holders(port) if os.path.isdir("/proc/net") else []
    if holders:
        held_by = "; ".join(f"pid {pid} ({command[:200]})" for pid, command in holders)
    else:
        held_by = "a process this user cannot see (another user's, or outside this system)"
    print(f"Port {port} on {host} is in use by {held_by}.\n"
          f"Stop it, or start TaskLedger on another port: PORT=8001 make run", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
