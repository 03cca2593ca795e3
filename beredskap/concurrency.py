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

        return gevent.get_hub().threadpool.apply(fn, args, kwargs)
    return fn(*args, **kwargs)


_REPORT_POOL = None


def _lower_priority() -> None:
    try:
        os.nice(10)
    except OSError:  # pragma: no cover - not permitted on some hosts
        pass


def _report_pool():
    global _REPORT_POOL
    if _REPORT_POOL is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _REPORT_POOL = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
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
