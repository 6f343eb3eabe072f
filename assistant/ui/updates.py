"""The wiring of the page without any UI toolkit: which events call which callback, and what a callback asks.

Each tab lists its `Event`s (`ChatTab.events`, `ConsoleTab.events`), naming components; the callbacks return
plain values, `SKIP` ("leave it") and `Update`s ("change these properties"), or raise `Refused`. The app
(`app.py`) lays the components out with a `Layout` and turns each into Gradio's `gr.skip()`, `gr.update(...)`
and `gr.Error`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..catalogue import word


class Skip:
    """Leave the component as it is."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP = Skip()
"""The one `Skip`."""


@dataclass(frozen=True)
class Update:
    """Change these properties of a component (value, label, placeholder, choices, visible...)."""

    props: dict[str, Any] = field(default_factory=dict)


def update(**props: Any) -> Update:
    """An `Update` of these properties."""
    return Update(props)


@dataclass(frozen=True)
class Event:
    """When component `trigger` fires `kind` (click, submit, blur, input, change, select), call `callback` with
    the values of the components named in `inputs` and show what it returns in those named in `outputs`.

    A generator callback streams. A `select` callback gets the selected row's values after its inputs.
    `then` runs after this event has finished (its trigger and kind are not used).
    """

    trigger: str
    kind: str
    callback: Callable[..., Any]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    then: Event | None = None


class Refused(Exception):
    """A callback declines to act (e.g. the console is not signed in); the app shows the message."""


Relabel = Callable[[str], str | Update]
"""A component's words in an interface language: its new value, or an update of its properties."""

C = TypeVar("C")


def label(key: str) -> Relabel:
    """Relabel a component with the catalogue's `key`."""
    return lambda lang: update(label=word(key, lang))


def value(key: str, template: str = "{}") -> Relabel:
    """Set a component's value (a button's text, a Markdown line) to `key` in words, inside `template`."""
    return lambda lang: update(value=template.format(word(key, lang)))


def placeholder(key: str) -> Relabel:
    """Set a text box's placeholder to the catalogue's `key`."""
    return lambda lang: update(placeholder=word(key, lang))


class Relabels:
    """The components whose words follow the interface language, each with its `Relabel`."""

    def __init__(self) -> None:
        """No component yet."""
        self._items: list[tuple[Any, Relabel]] = []

    def add(self, component: C, relabel: Relabel) -> C:
        """Follow the interface language with this component; returns it."""
        self._items.append((component, relabel))
        return component

    @property
    def components(self) -> list[Any]:
        """The components, in the order they were added."""
        return [component for component, _ in self._items]

    def words(self, lang: str) -> list[str | Update]:
        """Each component's words in `lang`, in the order of `components`."""
        return [relabel(lang) for _, relabel in self._items]


class Layout:
    """A page's components by name, and the words each follows in the interface language.

    Toolkit-neutral: the app passes its component classes to `add`, and to `connect` the function that turns an
    `Event` into its toolkit's handler.
    """

    def __init__(self, start: str) -> None:
        """No component yet; components are made in the language `start`."""
        self.start = start
        self.parts: dict[str, Any] = {}
        self.words = Relabels()

    def add(self, name: str | None, factory: Callable[..., Any], relabel: Relabel | None = None, **kw: Any) -> Any:
        """A component `factory(**kw)` in the start language, named `name` for the events, following `relabel`."""
        if relabel is not None:
            start = relabel(self.start)
            kw = {**(start.props if isinstance(start, Update) else {"value": start}), **kw}
        component = factory(**kw)
        if relabel is not None:
            self.words.add(component, relabel)
        if name:
            self.parts[name] = component
        return component

    def connect(self, events: Iterable[Event], handler: Callable[[Event], Callable[..., Any]], **options: Any) -> None:
        """Listen to each event (`component.kind(handler, inputs, outputs, **options)`), then to its `then`."""
        for event in events:
            listener = getattr(self.parts[event.trigger], event.kind)
            dependency = listener(handler(event), *self._io(event), **options)
            if event.then is not None:
                dependency.then(handler(event.then), *self._io(event.then), **options)

    def _io(self, event: Event) -> tuple[list[Any], list[Any]]:
        return [self.parts[n] for n in event.inputs], [self.parts[n] for n in event.outputs]


def table(rows: list[list[str]], columns: list[str]) -> dict[str, Any]:
    """A table's value: its rows under its column headings."""
    return {"data": rows, "headers": columns}
