"""Run many model-calling tasks side by side, their requests decoded together, deterministically.

A pipeline step written for one item (a page, a dialogue, a judged target) calls `model.complete`
or `complete_many` as if alone. `in_rounds` runs up to `width` such tasks at once, each in a thread
that sees proxies of the models. A round begins when every live task is waiting on a model (or has
finished): the coordinator then hands each model all the requests of the round in task order, in
one `complete_many`, so a batching backend decodes them together, and wakes the tasks with their
answers. A task that finishes makes room for the next one at the next round.

A model that decodes step by step (base.Stepping: the llama backend) is not served in rounds:
the coordinator submits each task's requests as soon as every live task has settled, advances the
decoder by one step, and wakes the tasks whose requests finished; their next requests join at the
next step (continuous batching across items, as llama-server does across clients).

Which requests meet in a round or a step depends only on the tasks, never on thread timing, so the
same items and width give the same batches and the same outputs. Results come back in input order.
Everything that writes (the store) stays on the caller's thread.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from onprem.model.base import Generation, Request, Stepping, complete_one

T = TypeVar("T")
R = TypeVar("R")


class _Call:
    def __init__(self, model, requests: list[Request]):
        self.model, self.requests = model, requests
        self.answers: list[Generation] | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.tickets: dict[int, int] | None = None      # stepping: ticket -> request index
        self.got: dict[int, Generation] = {}
        self.task: "_Task | None" = None


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
    """How many requests to hand a model at once, or items to keep in flight in rounds: none
    batch, one at a time."""
    parallel = max((getattr(m, "parallel", 1) for m in models), default=1)
    return 1 if parallel <= 1 else parallel * ITEMS_PER_SLOT


def tasks_for(*models) -> int:
    """How many items `in_rounds` keeps in flight: with models that step, one per decoding lane (a
    task's next request joins at the next step, and each item's prompts stay cached in its lane and
    the stores beside it); otherwise as width_for."""
    parallel = max((getattr(m, "parallel", 1) for m in models), default=1)
    if parallel > 1 and all(isinstance(m, Stepping) for m in models if getattr(m, "parallel", 1) > 1):
        return parallel
    return width_for(*models)


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

    stepping: dict[int, tuple[object, dict[int, _Call]]] = {}   # id(model) -> (model, ticket -> call)
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
            waiting = sorted((t for t in live if t.call is not None and t.call.tickets is None), key=lambda t: t.index)
            rounds = [t for t in waiting if not isinstance(t.call.model, Stepping)]
            for t in waiting:
                if isinstance(t.call.model, Stepping):
                    _submit(t, stepping, coord)
            if rounds:
                _serve(rounds, coord)
            for model, calls in list(stepping.values()):
                if calls:
                    _step(model, calls, coord)
    finally:
        for model, calls in stepping.values():
            if calls:
                model.cancel()
        for t in live:  # an error or an interrupt: release the threads still waiting (they are daemons)
            if t.call is not None and not t.call.done.is_set():
                t.call.error = RuntimeError("cancelled")
                t.call.done.set()


def _wake(task: _Task, coord: _Coordinator) -> None:
    call = task.call
    task.call = None
    with coord.cond:
        coord.unsettled.add(task)
    call.done.set()


def _submit(task: _Task, stepping: dict, coord: _Coordinator) -> None:
    """A task's requests into its model's decoder, in order."""
    call = task.call
    model = call.model
    _, calls = stepping.setdefault(id(model), (model, {}))
    call.tickets = {}
    call.task = task
    if not call.requests:
        call.answers = []
        _wake(task, coord)
    for k, r in enumerate(call.requests):
        ticket = model.submit(r)
        call.tickets[ticket] = k
        calls[ticket] = call


def _step(model, calls: dict, coord: _Coordinator) -> None:
    """One decoder step; a call whose requests are all answered wakes its task."""
    try:
        finished = model.step()
    except BaseException as e:  # noqa: BLE001 - every waiting task gets it
        for call in set(calls.values()):
            call.error = e
            _wake(call.task, coord)
        calls.clear()
        model.cancel()
        return
    for ticket, gen in finished:
        call = calls.pop(ticket)
        call.got[call.tickets[ticket]] = gen
        if len(call.got) == len(call.requests):
            call.answers = [call.got[k] for k in range(len(call.requests))]
            _wake(call.task, coord)


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
            if answers is not None:
                t.call.answers = answers[at:at + len(t.call.requests)]
                at += len(t.call.requests)
            _wake(t, coord)
