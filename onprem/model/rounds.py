"""Run many model-calling tasks side by side, their requests decoded together, deterministically.

A pipeline step written for one item (a page, a dialogue, a judged target) calls `model.complete`
or `complete_many` as if alone. `in_rounds` runs up to `width` such tasks at once, each in a thread
that sees proxies of the models. A round begins when every live task is waiting on a model (or has
finished): the coordinator then hands each model all the requests of the round in task order, in
one `complete_many`, so a batching backend decodes them together, and wakes the tasks with their
answers. A task that finishes makes room for the next one at the next round.

Which requests meet in a round depends only on the tasks, never on thread timing, so the same
items and width give the same batches and the same outputs. Results come back in input order.
Everything that writes (the store) stays on the caller's thread.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from onprem.model.base import Generation, Request, complete_one

T = TypeVar("T")
R = TypeVar("R")


class _Call:
    def __init__(self, model, requests: list[Request]):
        self.model, self.requests = model, requests
        self.answers: list[Generation] | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class _Task(threading.Thread):
    def __init__(self, index: int, fn: Callable[[], object], coord: "_Coordinator"):
        super().__init__(daemon=True, name=f"onprem-task-{index}")
        self.index, self.fn, self.coord = index, fn, coord
        self.result: object = None
        self.error: BaseException | None = None
        self.call: _Call | None = None

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
            self.error = e
        finally:
            self.coord.settled(self)


class _Coordinator:
    def __init__(self):
        self.cond = threading.Condition()
        self.unsettled: set[_Task] = set()   # running Python, not yet waiting on a model

    def settled(self, task: _Task) -> None:
        with self.cond:
            self.unsettled.discard(task)
            self.cond.notify_all()

    def wait_all_settled(self) -> None:
        with self.cond:
            while self.unsettled:
                self.cond.wait()


class ModelProxy:
    """What a task sees instead of a model: the same interface; completions wait for the round."""

    def __init__(self, model, coord: _Coordinator, task_of: Callable[[], _Task]):
        self._model, self._coord, self._task_of = model, coord, task_of

    def __getattr__(self, name):
        return getattr(self._model, name)

    def complete_many(self, requests: Sequence[Request]) -> list[Generation]:
        task = self._task_of()
        call = _Call(self._model, list(requests))
        with self._coord.cond:
            task.call = call
            self._coord.unsettled.discard(task)
            self._coord.cond.notify_all()
        call.done.wait()
        if call.error is not None:
            raise call.error
        return call.answers

    def complete(self, request: Request) -> Generation:
        return complete_one(self, request)


# Items in flight per decoding slot: more than one, so a slot freed by a short answer is taken by a
# waiting request within the same round (continuous batching) instead of idling to its end.
ITEMS_PER_SLOT = 4


def width_for(*models) -> int:
    """How many items to keep in flight for these models: none batch, one at a time."""
    parallel = max((getattr(m, "parallel", 1) for m in models), default=1)
    return 1 if parallel <= 1 else parallel * ITEMS_PER_SLOT


def in_rounds(items: Iterable[T], work: Callable[[T, dict], R], models: dict, width: int) -> Iterator[tuple[T, R]]:
    """(item, work(item, proxies)) for every item, in input order, with up to `width` items in
    flight; `models` maps names to models and `work` receives the same names mapped to proxies.
    width 1 calls `work` directly with the models themselves."""
    items = list(items)
    if width <= 1:
        for item in items:
            yield item, work(item, models)
        return
    coord = _Coordinator()
    local = threading.local()
    proxies = {k: ModelProxy(m, coord, lambda: local.task) for k, m in models.items()}
    live: list[_Task] = []
    done: dict[int, _Task] = {}
    next_item, next_out = 0, 0

    def start(i: int) -> None:
        def fn(item=items[i]):
            local.task = task
            return work(item, proxies)
        task = _Task(i, fn, coord)
        live.append(task)
        with coord.cond:
            coord.unsettled.add(task)
        task.start()

    try:
        while next_out < len(items):
            while len(live) < width and next_item < len(items):
                start(next_item)
                next_item += 1
            coord.wait_all_settled()
            for t in [t for t in live if not t.is_alive() or t.call is None]:
                t.join()
                live.remove(t)
                done[t.index] = t
            while next_out in done:               # hand back finished items in input order
                t = done.pop(next_out)
                if t.error is not None:
                    raise t.error
                yield items[next_out], t.result
                next_out += 1
            waiting = sorted((t for t in live if t.call is not None), key=lambda t: t.index)
            if waiting:
                _serve(waiting, coord)
    finally:
        for t in live:  # an error or an interrupt: release the threads still waiting (they are daemons)
            if t.call is not None and not t.call.done.is_set():
                t.call.error = RuntimeError("cancelled")
                t.call.done.set()


def _serve(waiting: list[_Task], coord: _Coordinator) -> None:
    """One round: per model, every waiting request in one complete_many, in task order."""
    by_model: dict[int, list[_Task]] = {}
    for t in waiting:
        by_model.setdefault(id(t.call.model), []).append(t)
    for tasks in by_model.values():
        model = tasks[0].call.model
        requests = [r for t in tasks for r in t.call.requests]
        try:
            answers = model.complete_many(requests)
        except BaseException as e:  # noqa: BLE001
            for t in tasks:
                t.call.error = e
            answers = None
        at = 0
        for t in tasks:
            call = t.call
            if answers is not None:
                call.answers = answers[at:at + len(call.requests)]
                at += len(call.requests)
            t.call = None
            with coord.cond:
                coord.unsettled.add(t)
            call.done.set()
