"""CPU accounting for the throughput-like scenarios, read from /proc."""
import os


def group_cpu_seconds(pgids: set[int]) -> float:
    """CPU seconds used so far by every process in these process groups (and their reaped
    children): the driver and the qcluster tree. PostgreSQL's own backends are not counted."""
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) in pgids:  # pgrp
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")
