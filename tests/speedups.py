"""Per-process caches that make a new app cheap in the tests: URL rules parsed and compiled once, templates too.

The suite builds a new app for nearly every test; what these keep is immutable and keyed by what it depends on.
"""

from jinja2 import BytecodeCache


def reuse_compiled_url_builders() -> None:
    """Compile each URL rule's builder once per test process instead of once per app.

    The suite builds a new app for nearly every test, and werkzeug compiles two builder functions from an AST for
    each of our ~300 rules every time: most of a test's set-up. The compiled function depends only on the rule's
    parsed parts, its defaults and the converters that format them, and takes the rule as its first argument, so
    one compiled function serves every app's copy of the rule. The app itself builds one app and is unaffected.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    compiled: dict = {}

    def reused(self: Rule, append_unknown: bool = True):
        converters = tuple((name, type(conv)) for name, conv in sorted(self._converters.items()))
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), converters, append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = reused


def reuse_parsed_url_rules() -> None:
    """Parse each URL rule's text once per test process instead of once per app.

    Parsing (a regular expression per part, weights, the trace the builder is compiled from) was the other half
    of adding our ~300 rules to each new app's map. The result depends only on the rule's text and the converter
    classes the map knows; it is replayed on each new rule: the same trace and parts, and the rule's own converter
    instances, bound to its own map, made with the same arguments as werkzeug would.
    """
    from werkzeug.routing.rules import Rule

    parse_rule = Rule._parse_rule
    parsed: dict = {}

    def reused(self: Rule, rule: str):
        key = (rule, tuple(self.map.converters.items()))
        entry = parsed.get(key)
        if entry is None:
            trace_from, converters_before = len(self._trace), dict(self._converters)
            specs = []
            get_converter = self.get_converter

            def recording(variable_name, converter_name, args, kwargs):
                specs.append((variable_name, converter_name, args, kwargs))
                return get_converter(variable_name, converter_name, args, kwargs)

            self.get_converter = recording
            try:
                parts = list(parse_rule(self, rule))
            finally:
                del self.get_converter
            assert all(name not in converters_before for name, *_ in specs)
            entry = parsed[key] = (parts, self._trace[trace_from:], specs)
            return iter(parts)
        parts, trace, specs = entry
        self._trace.extend(trace)
        for variable_name, converter_name, args, kwargs in specs:
            self._converters[variable_name] = self.get_converter(variable_name, converter_name, args, kwargs)
            self.arguments.add(variable_name)
        return iter(parts)

    Rule._parse_rule = reused


class TemplateCodeCache(BytecodeCache):
    """Jinja's compiled templates, shared by every app of a test process.

    Each app has its own Jinja environment, so each test used to lex, parse and compile every template it rendered
    again. The cache's key holds the template's name and a checksum of its source, so an edited template is
    compiled anew; the app itself keeps its own environment and is unaffected.
    """

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = TemplateCodeCache()
