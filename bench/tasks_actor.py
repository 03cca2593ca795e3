"""A trained user in Chromium, counted: every key outside typed text, every click, drag and scroll is one action.

Typed text (names, log lines) costs no actions; it is timed apart with a typist's speed, since the machine types
it in no time. Clicking something outside the viewport costs a scroll first, as it would a person.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

TYPIST_CHARS_PER_SECOND = 5.0  # 300 characters a minute: a trained typist
SECONDS_PER_ACTION = 0.8  # a key chord or a click found by a trained user


@dataclass
class Outcome:
    id: str
    task: str
    actions: int
    seconds: float
    typed_chars: int
    goal_actions: int
    goal_seconds: float | None
    steps: list[str]
    note: str = ""
    done: bool = True  # the task's result was there (a PDF, a saved zone); False fails it whatever the counts

    @property
    def user_seconds(self) -> float:
        """What a trained user would take: the machine's seconds plus typing and finding each action."""
        return self.seconds + self.typed_chars / TYPIST_CHARS_PER_SECOND + self.actions * SECONDS_PER_ACTION

    @property
    def met(self) -> bool:
        if not self.done or self.actions > self.goal_actions:
            return False
        return self.goal_seconds is None or self.user_seconds <= self.goal_seconds

    def as_json(self) -> dict:
        return {
            "task": self.task,
            "actions": self.actions,
            "goal_actions": self.goal_actions,
            "seconds": round(self.seconds, 2),
            "typed_chars": self.typed_chars,
            "user_seconds": round(self.user_seconds, 1),
            "goal_seconds": self.goal_seconds,
            "done": self.done,
            "met": self.met,
            "steps": self.steps,
            "note": self.note,
        }


@dataclass
class Actor:
    """Wraps a Playwright page; starts the clock at `start()`."""

    page: object
    steps: list[str] = field(default_factory=list)
    actions: int = 0
    typed: int = 0
    started: float = 0.0

    def start(self) -> Actor:
        self.steps, self.actions, self.typed = [], 0, 0
        self.started = time.perf_counter()
        return self

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _count(self, what: str) -> None:
        self.actions += 1
        self.steps.append(what)

    def key(self, chord: str) -> None:
        self._count(chord)
        self.page.keyboard.press(chord)

    def type(self, text: str) -> None:
        self.typed += len(text)
        self.steps.append(f"«{text}»")
        self.page.keyboard.type(text)

    def _into_view(self, locator) -> None:
        """A person scrolls to what is outside the viewport: one action."""
        locator.wait_for(state="visible", timeout=15000)
        box = locator.bounding_box()
        height = self.page.viewport_size["height"]
        if box is None or box["y"] < 0 or box["y"] + box["height"] > height:
            self._count("rull")
            locator.scroll_into_view_if_needed()

    def click(self, locator, what: str) -> None:
        self._into_view(locator)
        self._count(f"klikk {what}")
        locator.click()

    def select(self, locator, value: str, what: str) -> None:
        self._into_view(locator)
        self._count(f"velg {what}")
        locator.select_option(value)

    def drag(self, start: tuple[float, float], end: tuple[float, float], what: str) -> None:
        """Press, move and release: one gesture."""
        self._count(f"dra {what}")
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        for i in range(1, 6):
            mouse.move(start[0] + (end[0] - start[0]) * i / 5, start[1] + (end[1] - start[1]) * i / 5)
        mouse.up()

    def visible_now(self, locator) -> bool:
        """Whether something can be read without another action: visible and inside the viewport."""
        if not locator.is_visible():
            return False
        box = locator.bounding_box()
        return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= self.page.viewport_size["height"]

    def outcome(self, id: str, task: str, goal_actions: int, goal_seconds: float | None = None, note: str = ""):
        return Outcome(id, task, self.actions, self.elapsed(), self.typed, goal_actions, goal_seconds, self.steps, note)
