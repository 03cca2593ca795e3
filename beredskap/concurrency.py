"""Run CPU-heavy work (password hashing, PDFs, large spatial jobs) off the event loop."""

import os
from collections.abc import Callable
from typing import Any


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return monkey.is_module_patched("socket")


def run_blocking(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call fn in gevent's native thread pool when gevent runs the server, else inline.

    The greenlet waits cooperatively, so sockets keep being served while fn runs.
    """
    if _gevent_patched():
        import gevent

        # An exception is handed back and raised here, in the caller's greenlet, where the app handles it
        # (a refused zone is a 4xx); raised in the pool, gevent's hub would also print its full traceback.
        ok, value = gevent.get_hub().threadpool.apply(_capture, (fn, args, kwargs))
        if ok:
            return value
        raise value
    return fn(*args, **kwargs)


def _capture(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple[bool, Any]:
    try:
        return True, fn(*args, **kwargs)
    except Exception as err:
        return False, err


_REPORT_POOL = None


def _exit_with_parent(parent: int) -> None:
    """End this worker when the server process that started it is gone (killed, crashed or restarted).

    A killed server runs no clean-up, and an orphaned worker would hold its memory for good. Linux is told to
    send SIGTERM at once; a watcher thread covers the rest (and a parent that died before prctl was set).
    """
    import threading
    import time

    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_start(parent: int) -> None:
    # The lowest priority that still gets a share under full load (SCHED_IDLE measured no better in B5 and
    # could starve a sitrep while the board is busy).
    try:
        os.nice(19)
    except OSError:  # pragma: no cover - not permitted on some hosts
        pass
    _exit_with_parent(parent)


def _report_pool():
    global _REPORT_POOL
    if _REPORT_POOL is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _REPORT_POOL = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=(os.getpid(),),
        )
    return _REPORT_POOL


def render_report(fn: Callable[..., bytes], *args: Any) -> bytes:
    """Render a PDF in a worker process when gevent serves sockets, else inline.

    reportlab is pure Python and holds the GIL, so a thread would still starve the sockets; a separate
    process at lower priority does not. `fn` must be a module-level function of plain, picklable data.
    """
    global _REPORT_POOL
    if not _gevent_patched():
        return fn(*args)
    from concurrent.futures.process import BrokenProcessPool

    try:
        return _report_pool().submit(fn, *args).result(timeout=300)
    except BrokenProcessPool:
        _REPORT_POOL = None
        return run_blocking(fn, *args)
