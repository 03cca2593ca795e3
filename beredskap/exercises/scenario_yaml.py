"""Load a scenario's YAML into plain data, noting the line of every value; scenario.py validates it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from flask_babel import gettext
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Limits keep a hostile or broken upload from turning into an expensive parse.
MAX_TEXT_BYTES = 2_000_000
MAX_INJECTS = 2000
MAX_OBJECTIVES = 100
_MAX_NODES = 200_000
_MAX_DEPTH = 40
_SHORT_TEXT = 300
_LONG_TEXT = 20_000

_YAML_TAG_PREFIX = "tag:yaml.org,2002:"
_NULL_TAG = _YAML_TAG_PREFIX + "null"
# Plain data only; python/* and other application tags have no business in a scenario file.
_ALLOWED_TAGS = frozenset(
    _YAML_TAG_PREFIX + name for name in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp", "merge")
)

Path = tuple[str | int, ...]
LineMap = Mapping[Path, int]


class ScenarioError(ValueError):
    """A scenario or dreiebok that cannot be accepted.

    ``str(error)`` starts with "Linje N: " when the source has lines; ``line`` is that 1-based number (None
    for plain data) and ``detail`` the message without the line prefix.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.detail = message
        self.line = line
        super().__init__(
            gettext("Linje %(line)s: %(message)s", line=line, message=message) if line is not None else message
        )


def _load_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    if not isinstance(text, str):
        raise ScenarioError(gettext("scenarioet må være tekst (YAML)"))
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise ScenarioError(gettext("filen er for stor (mer enn %(mb)s MB)", mb=MAX_TEXT_BYTES // 1_000_000))
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise ScenarioError(gettext("ugyldig tegn %(code)s i filen", code="U+" + format(code, "04X")), line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(gettext("ugyldig YAML: %(error)s", error=str(exc))) from None
    except RecursionError:
        raise ScenarioError(gettext("YAML-strukturen er for dypt nøstet")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise ScenarioError(gettext("filen er tom"), 1)
    lines: dict[Path, int] = {}
    try:
        return _NodeConverter(loader, lines).convert(root, ()), lines
    except RecursionError:
        # Self-referencing merge keys can recurse inside PyYAML's flatten_mapping before our own guards.
        raise ScenarioError(gettext("YAML-strukturen er for dypt nøstet eller refererer til seg selv")) from None


def _syntax_error(exc: yaml.MarkedYAMLError) -> ScenarioError:
    problem = exc.problem or exc.context or gettext("ukjent feil")
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    if context is not None and mark is not None and context.line < mark.line:
        # An unclosed quote or bracket is only noticed far below; the line where it began is the one to fix.
        detail = gettext(
            "ugyldig YAML: %(problem)s (%(context)s som begynner på linje %(line)s)",
            problem=problem,
            context=exc.context,
            line=context.line + 1,
        )
        if "end of stream" in problem:
            return ScenarioError(detail, context.line + 1)
        return ScenarioError(detail, mark.line + 1)
    return ScenarioError(gettext("ugyldig YAML: %(error)s", error=problem), mark.line + 1 if mark else None)


class _NodeConverter:
    """Turns composed YAML nodes into plain data while recording the line of every value.

    Scalars are kept as the text written: YAML 1.1 would otherwise read ``no:`` as False, ``10:05`` as
    the number 605 and ``ja`` or ``yes`` as booleans, none of which a planner means. Validation converts
    the fields that are numbers or dates.
    """

    def __init__(self, loader: yaml.SafeLoader, lines: dict[Path, int]) -> None:
        self.loader = loader
        self.lines = lines
        self.visited = 0
        self.active: set[int] = set()

    def convert(self, node: Node, path: Path) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        self.visited += 1
        if self.visited > _MAX_NODES:
            raise ScenarioError(gettext("filen har for mange elementer (aliaser som vokser eksponentielt?)"), line)
        if len(path) > _MAX_DEPTH:
            raise ScenarioError(gettext("YAML-strukturen er for dypt nøstet"), line)
        if node.tag not in _ALLOWED_TAGS:
            raise ScenarioError(gettext("ukjent YAML-tagg %(tag)s", tag=repr(node.tag)), line)
        if id(node) in self.active:
            raise ScenarioError(gettext("et YAML-anker refererer til seg selv"), line)
        if isinstance(node, ScalarNode):
            return None if node.tag == _NULL_TAG else node.value
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.convert(child, (*path, index)) for index, child in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._convert_mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise ScenarioError(gettext("ukjent YAML-element"), line)

    def _convert_mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _YAML_TAG_PREFIX + "merge":
                continue
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise ScenarioError(
                    gettext("en nøkkel må være et enkelt ord, ikke en liste eller et oppslag"), key_line
                )
            if key_node.value in seen:
                raise ScenarioError(
                    gettext(
                        "feltet '%(name)s' står to ganger (også på linje %(line)s)",
                        name=key_node.value,
                        line=seen[key_node.value],
                    ),
                    key_line,
                )
            seen[key_node.value] = key_line
        try:
            self.loader.flatten_mapping(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or node.start_mark
            raise ScenarioError(
                gettext("ugyldig sammenslåing (<<): %(error)s", error=exc.problem), mark.line + 1
            ) from None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ScenarioError(gettext("en nøkkel må være et enkelt ord"), key_node.start_mark.line + 1)
            key = key_node.value
            child_path = (*path, key)
            # A key written with an empty value still has a line worth pointing at.
            self.lines[child_path] = value_node.start_mark.line + 1
            result[key] = self.convert(value_node, child_path)
        return result
