"""Worker processes for documents, each job with a time limit, none outliving the run.

`WorkerPool(n)` keeps n processes (forkserver: safe beside threads, with the heavy modules
preloaded once) and hands each `call(fn, ...)` to an idle one. A job past its `time_limit` gets
its worker killed (SIGKILL, with every tool process it started: they die with it) and replaced,
and the caller sees `JobTimeout`; a worker that dies on its own (out of memory, a crash in a C
library) is replaced and the caller sees `WorkerDied`, a transient error worth one more try.

No worker outlives the process that made the pool, even one killed with SIGKILL: a worker gets
SIGKILL from the kernel when the forkserver it was forked from ends (parent-death signal), the
forkserver ends when its parent does, and a watchdog thread in each worker checks the owner
process besides.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

PRELOAD = ["extractors.readers", "extractors.report", "checks", "pipeline.ingest"]
WATCH_SECONDS = 1.0


class JobTimeout(Exception):
    """A job ran past its time limit; its worker was killed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"still running after {seconds:g} s; stopped")


class WorkerDied(ConnectionError):
    """The worker process ended while running a job (killed, out of memory, crashed)."""


class PoolClosed(RuntimeError):
    """The pool was closed (the run is stopping) before a worker was free for the job."""


def _owner_gone(owner: int) -> bool:
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _watch(owner: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if _owner_gone(owner):
            os._exit(1)


def _serve(conn: Connection, owner: int) -> None:
    """A worker's life: run what comes down `conn`, send back ("ok", value) or ("error", exc)."""
    from extractors.readers.common import die_with_parent

    die_with_parent(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if _owner_gone(owner):
        os._exit(1)
    threading.Thread(target=_watch, args=(owner,), daemon=True, name="owner-watch").start()
    while True:
        try:
            fn, args, kwargs = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply = ("ok", fn(*args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - sent back to the caller
            reply = ("error", e)
        try:
            conn.send(reply)
        except Exception as e:  # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{type(e).__name__}: {e}")))


class _Worker:
    def __init__(self, ctx: Any):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, os.getpid()), daemon=True, name="baocao-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError, AttributeError):
            pass
        self.process.join(10)
        self.conn.close()


class WorkerPool:
    """`workers` processes; `call` blocks until one is free (see the module docstring)."""

    def __init__(self, workers: int, preload: list[str] | None = None):
        self.workers = max(1, workers)
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD if preload is None else preload)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx)
        with self._lock:
            self._all.add(w)
        return w

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def call(self, fn: Callable[..., Any], *args: Any, time_limit: float | None = None, **kwargs: Any) -> Any:
        """`fn(*args, **kwargs)` in a worker; raises what it raised, `JobTimeout` past
        `time_limit` seconds, `WorkerDied` when the worker ended under it."""
        while True:  # wait for a free worker, unless the pool closes meanwhile
            if self._closed:
                raise PoolClosed("the worker pool was closed (the run is stopping)")
            try:
                w = self._idle.get(timeout=0.5)
                break
            except queue.Empty:
                continue
        try:
            w.conn.send((fn, args, kwargs))
            if not w.conn.poll(time_limit):
                self._discard(w)
                w = None
                raise JobTimeout(time_limit or 0)
            status, value = w.conn.recv()
        except (EOFError, OSError) as e:
            if w is not None:
                w.process.join(0.5)
                code = w.process.exitcode
                self._discard(w)
                w = None
                raise WorkerDied(f"the worker process ended (exit code {code})") from e
            raise
        finally:
            if w is not None:
                self._idle.put(w)
            elif not self._closed:
                self._idle.put(self._spawn())
        if status == "error":
            raise value
        return value

    def warm(self) -> None:
        """Wait until every worker has started (so start-up is not charged to the first jobs)."""
        def ping() -> None:
            try:
                self.call(os.getpid)
            except Exception:  # noqa: BLE001 - closed meanwhile (interrupted): nothing to warm
                pass

        threads = [threading.Thread(target=ping, daemon=True) for _ in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid]

    def close(self, wait: float = 5.0) -> None:
        """Stop every worker; a job still running after `wait` seconds is killed."""
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            try:
                w.conn.close()  # an idle worker sees EOF and exits
            except OSError:
                pass
        deadline = time.monotonic() + wait
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.kill()
