"""Run CPU-heavy work (password hashing, PDFs, large spatial jobs) off the event loop."""

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
