"""Render a proposal in a child process under a wall-clock, CPU and memory limit."""

import contextlib
import ctypes
import gc
import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any

from django.conf import settings
from django.db import connections

from proposals.pdf.context import ProposalSnapshot, build_context

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# The child's CPU limit backs up the parent's clock: it ends a render even if the worker
# that started it is gone.
CPU_GRACE_SECONDS = 10
# An annex part yields to a proposal rendering on the same host: the proposal is the one
# render that cannot be split into parts, so it is the longest path to every file being
# ready, and it is the document the reader opens first. Parts still use any idle core.
PART_NICENESS = 10
# A render process lives for one document, whose boxes live until its PDF is written, so the
# cyclic garbage collector finds next to nothing to free (4 MB of 145 for a 250-site annex
# part) while walking every box again and again: about a tenth of the render's CPU. In the
# child it runs a hundred times less often, and never over what the worker left it.
CHILD_GC_THRESHOLD = (70_000, 50, 100)


# A fork copies whatever locks other threads of the process hold at that moment: a child
# forked while another thread warms up (laying out a document: fontconfig, Pango, cairo)
# would wait for ever on a lock no thread of it will release. A worker that renders in
# several threads therefore warms up and forks one thread at a time.
FORK_LOCK = threading.Lock()


class RenderFailed(Exception):
    """A render did not produce a PDF; the message is meant for the user who asked."""


class RenderTimedOut(RenderFailed):
    """The render ran past its wall-clock limit and was stopped."""


class RenderOutOfMemory(RenderFailed):
    """The render needed more memory than it may use and was stopped."""


@dataclass(frozen=True)
class IsolatedPdf:
    """The PDF bytes a child process rendered, and its page count."""

    data: bytes
    pages: int


def _detach_database() -> None:
    """Keep the parent's database connections out of the child's reach.

    The sockets are shared after fork: a query, or a close that says goodbye to the
    server, would break the worker's session. The connection objects are kept referenced
    (never finalised) and replaced by nothing; a render never queries.
    """
    kept = []
    for conn in connections.all(initialized_only=True):
        kept.append(conn.connection)
        conn.connection = None
    _detach_database.kept = kept  # type: ignore[attr-defined]


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        # Die with the worker rather than render for nobody (Linux only).
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        with open("/proc/self/statm") as statm:
            inherited = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        inherited = 0
    # The fork starts with the worker's whole address space (Python, WeasyPrint, fonts);
    # the limit is what the render may add on top of it.
    address_space = inherited + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + CPU_GRACE_SECONDS))


def _enter_child(memory_mb: int, timeout: int) -> None:
    for name in ("SIGTERM", "SIGINT", "SIGQUIT"):
        # The worker's graceful-shutdown handlers must not run in the child.
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    _detach_database()
    _limit(memory_mb, timeout + CPU_GRACE_SECONDS)
    gc.freeze()  # the worker's objects: never garbage in this process
    gc.set_threshold(*CHILD_GC_THRESHOLD)


def _child(sender, snapshot: ProposalSnapshot, draft: bool, memory_mb: int, timeout: int) -> None:
    _enter_child(memory_mb, timeout)
    try:
        from proposals.pdf import render

        rendered = render.render_document(build_context(snapshot, draft=draft))
        sender.send(("ok", rendered.data, rendered.pages))
    except MemoryError:
        sender.send(("memory", "", 0))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        logger.exception("Rendering a proposal failed in its render process")
        sender.send(("error", f"{type(exc).__name__}: {exc}"[:2000], 0))
    finally:
        sender.close()


def _timed_out(timeout: int) -> RenderTimedOut:
    return RenderTimedOut(
        f"Rendering was stopped after {timeout} seconds, the longest a PDF may take. "
        "Retrying will not help unless the logo or the assessment gets smaller; an "
        "administrator can raise RENDER_TIMEOUT_SECONDS."
    )


def _out_of_memory(memory_mb: int, how: str = "") -> RenderOutOfMemory:
    return RenderOutOfMemory(
        f"Rendering was stopped{how}: the PDF needed more than the {memory_mb} MB of memory "
        "a render may use. An administrator can raise RENDER_MEMORY_MB."
    )


def render_isolated(
    snapshot: ProposalSnapshot,
    *,
    draft: bool = False,
    timeout: int | None = None,
    memory_mb: int | None = None,
) -> IsolatedPdf:
    """Render a proposal PDF in a forked child process that cannot outlive its limits.

    The child is forked from the calling process (the background worker), which has
    WeasyPrint imported and the brand fonts decompressed already, so a render starts warm.
    It gets an address-space limit of ``memory_mb`` above what it inherits, a CPU-time
    limit, and dies with its parent; the parent waits at most ``timeout`` seconds and
    then kills it. Nothing is shared back but the PDF bytes or an error message, so a
    pathological document costs one bounded failure and the queue moves on.

    Args:
        snapshot: The proposal's snapshot (issued or draft).
        draft: Mark every page as a draft (previews).
        timeout: Wall-clock seconds; ``settings.RENDER_TIMEOUT_SECONDS`` by default.
        memory_mb: Memory the render may add; ``settings.RENDER_MEMORY_MB`` by default.

    Returns:
        The PDF bytes and the page count.

    Raises:
        RenderTimedOut: The render ran past ``timeout`` and was killed.
        RenderOutOfMemory: It needed more memory than allowed, or died of it.
        RenderFailed: The render raised; the message names the error.
    """
    from proposals.pdf import render

    timeout = timeout or settings.RENDER_TIMEOUT_SECONDS
    memory_mb = memory_mb or settings.RENDER_MEMORY_MB
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(sender, snapshot, draft, memory_mb, timeout),
        name="proposal-render",
        daemon=True,
    )
    started = time.monotonic()
    with FORK_LOCK:
        render.warm_up(str(snapshot["branding"].get("font") or ""))
        process.start()
    sender.close()
    message = None
    try:
        if receiver.poll(timeout):
            message = receiver.recv()
    except (EOFError, OSError):
        message = None  # the child died before it could answer; its exit code says how
    finally:
        receiver.close()
        if message is not None:
            process.join(5)  # it has answered and is exiting; let it
        if process.is_alive():
            process.kill()
        process.join()
    return _outcome(message, process, time.monotonic() - started, timeout, memory_mb)


def _outcome(message, process, elapsed: float, timeout: int, memory_mb: int) -> IsolatedPdf:
    """The PDF a finished child sent, or the error its message or exit code says."""
    if message is not None:
        outcome, payload, pages = message
        if outcome == "ok":
            return IsolatedPdf(data=payload, pages=pages)
        if outcome == "memory":
            raise _out_of_memory(memory_mb)
        raise RenderFailed(payload)
    code = process.exitcode
    logger.warning(
        "Render process ended without a result (exit code %s) after %.1fs", code, elapsed
    )
    if code == -signal.SIGXCPU or (code == -signal.SIGKILL and elapsed >= timeout):
        raise _timed_out(timeout)
    if code is not None and code < 0:
        # Killed by the kernel, or aborted when an allocation failed under the limit.
        raise _out_of_memory(memory_mb, f" ({signal.Signals(-code).name})")
    raise RenderFailed(f"The renderer stopped unexpectedly (exit code {code}).")


def _part_child(sender, context: dict[str, Any], memory_mb: int, timeout: int) -> None:
    _enter_child(memory_mb, timeout)
    os.nice(PART_NICENESS)
    try:
        from proposals.pdf import render

        rendered = render.render_annex_part(context)
        sender.send(("ok", rendered.data, rendered.pages))
    except MemoryError:
        sender.send(("memory", "", 0))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        logger.exception("Rendering a part of a site annex failed in its render process")
        sender.send(("error", f"{type(exc).__name__}: {exc}"[:2000], 0))
    finally:
        sender.close()


def render_parts_isolated(
    parts: list[dict[str, Any]],
    *,
    processes: int | None = None,
    timeout: int | None = None,
    memory_mb: int | None = None,
) -> list[IsolatedPdf]:
    """Render the site annex's parts in child processes, several at once, within one deadline.

    Each part gets a child of its own with the limits of :func:`render_isolated`; at most
    ``processes`` run at a time (one a core: WeasyPrint is single-threaded), and all of
    them must be done within ``timeout`` seconds of the start, or the rest are killed.
    The first part that fails stops the others.

    Args:
        parts: The parts' contexts (:func:`proposals.pdf.annex.annex_parts`).
        processes: Children at once; the number of cores by default.
        timeout: Wall-clock seconds for all parts; ``settings.RENDER_TIMEOUT_SECONDS``.
        memory_mb: Memory each child may add; ``settings.RENDER_MEMORY_MB`` by default.

    Returns:
        Each part's PDF and page count, in order.

    Raises:
        RenderTimedOut: The parts ran past ``timeout`` together.
        RenderOutOfMemory: A part needed more memory than allowed.
        RenderFailed: A part raised; the message names the error.
    """
    from proposals.pdf import render

    timeout = timeout or settings.RENDER_TIMEOUT_SECONDS
    memory_mb = memory_mb or settings.RENDER_MEMORY_MB
    processes = max(1, processes or os.cpu_count() or 1)
    if parts:
        with FORK_LOCK:
            render.warm_up(str(parts[0]["branding"].get("font") or ""))
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    waiting = list(enumerate(parts))
    running: dict[Any, tuple[int, Any]] = {}  # receiver -> (index, process)
    done: dict[int, IsolatedPdf] = {}
    try:
        while waiting or running:
            while waiting and len(running) < processes:
                index, part = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(
                    target=_part_child,
                    args=(sender, part, memory_mb, timeout),
                    name=f"annex-part-{index + 1}",
                    daemon=True,
                )
                with FORK_LOCK:
                    process.start()
                sender.close()
                running[receiver] = (index, process)
            left = timeout - (time.monotonic() - started)
            ready = wait(list(running), timeout=max(0.0, left)) if left > 0 else []
            if not ready:
                raise _timed_out(timeout)
            for receiver in ready:
                index, process = running.pop(receiver)
                try:
                    message = receiver.recv()
                except (EOFError, OSError):
                    message = None  # died before answering; its exit code says how
                receiver.close()
                process.join(5 if message is not None else None)
                if process.is_alive():
                    process.kill()
                    process.join()
                elapsed = time.monotonic() - started
                done[index] = _outcome(message, process, elapsed, timeout, memory_mb)
    finally:
        for receiver, (_index, process) in running.items():
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join()
    return [done[i] for i in range(len(parts))]
