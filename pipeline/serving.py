"""`baocao serve`: serve the nightly deployment (a Prefect Runner polling the Prefect server for
its scheduled runs and starting each in a subprocess) until Ctrl-C or SIGTERM.

Prefect's `serve()` answers SIGTERM by calling the Runner's asynchronous `stop()` without
awaiting it and exiting from inside the event loop (a traceback, and the flow run in progress
is left to the next run to mark crashed). Here SIGTERM takes the same path as Ctrl-C, which
Prefect handles cleanly: the main task is cancelled, running flow runs are stopped, the
deployment is paused; the process ends within seconds.
"""
from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import Any

from pipeline.prefect_env import configure, restore_interrupts

configure()

from prefect.runner import Runner  # noqa: E402


RUN_GRACE_SECONDS = 5.0  # for a flow run in progress to close its run (status failed) and stop


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie has ended
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc; none elsewhere)."""
    out = []
    for d in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != b"Z":
                out.append(int(d))
    return out


class _Runner(Runner):
    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        self._logger.info("SIGTERM received, shutting down as on Ctrl-C...")
        self.stop_runs()
        os.kill(os.getpid(), signal.SIGINT)

    def stop_runs(self) -> None:
        """SIGTERM to the flow runs in progress, and a few seconds for them to end: the flow
        closes its run as failed and stops its worker processes (the Runner itself would
        SIGKILL them, leaving the run to be marked crashed by the next one)."""
        pids = _children(os.getpid())  # the flow-run processes (Prefect keeps their map in several places)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + RUN_GRACE_SECONDS
        while any(_running(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)


def serve_deployment(deployment: Any, echo=print) -> None:
    """Serve `deployment` until interrupted (SIGINT or SIGTERM); returns then."""
    restore_interrupts()  # asyncio turns SIGINT into a cancellation only when SIGINT is not ignored
    runner = _Runner(pause_on_shutdown=True)
    runner.add_deployment(deployment)
    echo(f"baocao: serving {deployment.flow_name}/{deployment.name}; Ctrl-C or SIGTERM to stop")
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass
    echo("baocao: stopped serving")
