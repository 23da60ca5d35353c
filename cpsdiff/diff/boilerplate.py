"""Tell site boilerplate (teasers, bylines, credits) from reporting, with a reason for each label.

Plain text has no link density to go on, so the evidence is the paragraph's shape: a short
label before a headline-case teaser, no closing punctuation, capitalised signature lines at the
end of the story, plus user-extensible pattern rules (cpsdiff/rules/default.toml).

Patterns from rules files are run by the `regex` module (Python's re syntax) with a time budget
for each match: one that backtracks without end, such as '(a|aa)+$', cannot hang a run; it is
an error that names the rule. The built-in rules run on Python's re (no import, no budget to
check): they are ours, and bench/bench_rules.py shows each of them linear in the paragraph.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cpsdiff.errors import InputError
from cpsdiff.text.normalize import collapse_whitespace
from cpsdiff.text.repair import repaired_text

_DEFAULT_RULES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules", "default.toml")  # cpsdiff/rules/
EDGE = 3  # paragraphs at each end of a story where bylines and signatures live
_WHERE = ("any", "edge", "top", "bottom")
# Words that stay lower-case in headline case.
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to up via vs with over amid after".split()
)
MATCH_SECONDS = 1.0  # the most one rule may take on one paragraph (a sound pattern takes microseconds)
# regex compiles a counted repeat by unrolling it: a{1000000000} took minutes and all memory
# before any match (and any time budget) began. Patterns may repeat a part at most this often,
# counting nested repeats multiplied (a{10000} compiles in 7 ms).
MAX_REPEAT = 10_000
_LABEL = re.compile(r"^(?P<label>[^\W\d_][^:]{0,40}?):\s*(?P<rest>.*)$", re.S)  # a label starts with a letter
_WORD = re.compile(r"[\w’'&.-]+")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    source: str  # the pattern as written; compiled once per process (rules go to worker processes)
    where: str = "any"
    max_words: int | None = None
    reason: str = ""
    origin: str = ""  # "default rules" or the rules file: for messages
    builtin: bool = False  # one of ours (re, no budget), or given by a user (regex, MATCH_SECONDS)

    @property
    def pattern(self):
        return _compiled(self.source, self.builtin)

    def explain(self, text: str, word_count: int, top: bool, bottom: bool) -> str | None:
        """The reason this rule labels the paragraph boilerplate, or None if it doesn't apply.
        ``top`` and ``bottom``: whether the paragraph is among the first or last EDGE."""
        if self.where == "edge" and not (top or bottom):
            return None
        if self.where == "top" and not top:
            return None
        if self.where == "bottom" and not bottom:
            return None
        if self.max_words is not None and word_count > self.max_words:
            return None
        match = self.match(text)
        return None if match is None else self.reason_for(match)

    def match(self, text: str):
        """The pattern's first match in ``text``, or None; a user's pattern within its time budget."""
        if self.builtin:
            return self.pattern.search(text)
        try:
            return self.pattern.search(text, timeout=MATCH_SECONDS)
        except TimeoutError:
            raise InputError(
                f"{self.origin}: rule {self.name!r}: pattern too slow (over {MATCH_SECONDS:g} s on one paragraph; "
                "nested repeats such as (a+)+ backtrack without end)"
            ) from None

    def reason_for(self, match) -> str:
        reason = self.reason
        for name, value in match.groupdict().items():  # named groups fill {name} in the reason
            reason = reason.replace(f"{{{name}}}", value or "")
        return f"{reason} (rule {self.name})"  # rule_name() reads this back

    def places(self) -> int:
        """Where the rule applies, as a bit mask over ``_place(top, bottom)``."""
        return sum(
            1 << _place(top, bottom)
            for top in (False, True)
            for bottom in (False, True)
            if self.where == "any" or (self.where == "edge" and (top or bottom))
            or (self.where == "top" and top) or (self.where == "bottom" and bottom)
        )


def _place(top: bool, bottom: bool) -> int:
    return top * 2 + bottom


@lru_cache(maxsize=None)
def _compiled(source: str, builtin: bool):
    if builtin:
        return re.compile(source)
    import regex  # only for rules files: importing it costs every command about 10 ms

    return regex.compile(source)


_KEYS = {"name": str, "pattern": str, "where": str, "max_words": int, "reason": str}


_RULE_SUFFIX = re.compile(r"\(rule ([^)]+)\)$")


def rule_name(reason: str | None) -> str | None:
    """The rule named in a boilerplate reason, or None (reporting, or a shape feature)."""
    match = _RULE_SUFFIX.search(reason or "")
    return match.group(1) if match else None


def _parse_rules(data: dict, origin: str, builtin: bool = False) -> list[Rule]:
    entries = data.get("rule", [])
    unknown = sorted(set(data) - {"rule"})
    if unknown:
        raise InputError(f"{origin}: unknown key {unknown[0]!r} (rules are [[rule]] tables)")
    if not isinstance(entries, list):
        raise InputError(f"{origin}: 'rule' must be an array of tables ([[rule]])")
    rules = []
    for number, entry in enumerate(entries, 1):
        where = f"{origin}: rule {number}"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: must be a table")
        for key, value in entry.items():
            expected = _KEYS.get(key)
            if expected is None:
                raise InputError(f"{where}: unknown key {key!r} (known: {', '.join(_KEYS)})")
            if not isinstance(value, expected) or isinstance(value, bool):
                raise InputError(f"{where}: {key!r} must be a {expected.__name__}")
        for key in ("name", "pattern"):
            if key not in entry:
                raise InputError(f"{where}: missing {key!r}")
        if entry.get("where", "any") not in _WHERE:
            raise InputError(f"{where}: 'where' must be one of {', '.join(_WHERE)}")
        if not builtin and (repeats := _unrolled_size(entry["pattern"])) > MAX_REPEAT:
            raise InputError(
                f"{where} ({entry['name']!r}): bad pattern: repeats a part {repeats:,} times or more "
                f"(at most {MAX_REPEAT:,}, nested repeats multiplied)"
            )
        try:
            _compiled(entry["pattern"], builtin)
        except Exception as error:  # noqa: BLE001 (re.error, regex.error, or a RecursionError on absurd nesting)
            raise InputError(f"{where} ({entry['name']!r}): bad pattern: {_brief(error)}") from None
        rules.append(
            Rule(entry["name"], entry["pattern"], entry.get("where", "any"), entry.get("max_words"),
                 entry.get("reason", entry["name"]), origin, builtin)
        )
    return rules


_COUNT = re.compile(r"\{(\d*)(?:,\d*)?\}")
# \p{Lu}, \N{EM DASH}, \g{2}: braces that belong to the escape, not repeats (\d{20000} is a repeat)
_BRACED_ESCAPE = re.compile(r"\\[pPNg]\{[^}]*\}")


def _unrolled_size(pattern: str) -> int:
    """How many times compiling ``pattern`` copies its largest part: the product of the least
    counts of nested {m,n} repeats (escapes and character classes hold none)."""
    groups = [1]  # the largest size inside each open group
    last = 1  # the size of the item just read, which a {m,n} after it repeats
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            braced = _BRACED_ESCAPE.match(pattern, i)
            i = braced.end() if braced else i + 2
            last = 1
        elif char == "[":
            i = _class_end(pattern, i)
            last = 1
        elif pattern.startswith("(?#", i):  # a comment
            close = pattern.find(")", i)
            i = len(pattern) if close < 0 else close + 1
        elif char == "(":
            groups.append(1)
            i, last = i + 1, 1
        elif char == ")" and len(groups) > 1:
            last = groups.pop()
            i += 1
        elif char == "{" and (count := _COUNT.match(pattern, i)):
            least = count.group(1)
            last *= max(1, int(least or 0) if len(least) <= 12 else 10**12)
            i = count.end()
        else:
            i, last = i + 1, 1
        groups[-1] = max(groups[-1], last)
    return max(groups)


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at ``start``."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):  # a ] first is a literal
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _brief(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    with open(_DEFAULT_RULES, "rb") as handle:
        return tuple(_parse_rules(tomllib.load(handle), "default rules", builtin=True))


def default_rules() -> list[Rule]:
    return list(_default_rules())


def load_rules(paths: Iterable[str | os.PathLike[str]] = ()) -> list[Rule]:
    """The built-in rules plus those in each TOML file of ``paths``."""
    rules = default_rules()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except OSError as error:
            raise InputError(f"{path}: cannot read rules file: {error.strerror}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: not a valid TOML rules file: {error}") from None
        rules.extend(_parse_rules(data, path))
    return rules


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _headline_case(words: list[str]) -> bool:
    """Most words capitalised, as in a headline ("Mayor Vows To Fight Cuts")."""
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    capitalised = sum(_is_capitalised(w) for w in significant)
    return bool(significant) and capitalised / len(significant) >= 0.75


def _ends_like_sentence(text: str) -> bool:
    return text.rstrip("”’\"') ]").endswith((".", "!", "?", "…"))


def _teaser(text: str, bottom: bool) -> str | None:
    match = _LABEL.match(text)
    if match is None:
        return None
    label, rest = match.group("label"), match.group("rest")
    label_words = _WORD.findall(label)
    if not label_words or len(label_words) > 5:
        return None
    if not (label.isupper() or _headline_case(label_words)) or "\n" in label:
        return None
    rest_words = _WORD.findall(rest)
    if not rest_words:
        # "More From The Ledger:" above the links at the foot of a story; higher up, a short
        # label with a colon is a subhead or a quote's lead-in ("Mayor Ann Lee said:").
        return f"section label “{label}:” with nothing after it" if bottom else None
    if _ends_like_sentence(rest) or not _headline_case(rest_words):
        return None
    return f"teaser: label “{label}:” before a headline-case link text"


def _signature(text: str) -> str | None:
    """Short capitalised line without punctuation (at the end of a story): a staff signature."""
    words = _WORD.findall(text)
    if not 1 <= len(words) <= 6 or _ends_like_sentence(text) or text.endswith(":"):
        return None
    if _headline_case(words) and all(_is_capitalised(w) for w in words[:1]):
        return "signature: short capitalised line at the end of the story"
    return None


class _RuleSet:
    """Rules as one cache key, hashed once (hashing a tuple of rules field by field, for every
    paragraph looked up, took longer than judging the paragraphs), with what each rule checks
    first (the most words, the places) read once."""

    __slots__ = ("rules", "checks", "_hash")

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.checks = tuple(
            (sys.maxsize if rule.max_words is None else rule.max_words, rule.places(),
             rule.pattern.search if rule.builtin else rule.match, rule)
            for rule in rules
        )
        self._hash = hash(rules)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _RuleSet) and self.rules == other.rules


@lru_cache(maxsize=8)
def _rule_set(rules: tuple[Rule, ...]) -> _RuleSet:
    return _RuleSet(rules)


@lru_cache(maxsize=16384)  # versions of a story repeat most paragraphs
def _verdict(text: str, top: bool, bottom: bool, first: bool, rules: _RuleSet) -> str | None:
    tokens = text.split()
    flat = " ".join(tokens)
    count, place = len(tokens), 1 << _place(top, bottom)
    for most_words, places, search, rule in rules.checks:  # Rule.explain, unrolled: it runs for every rule
        if count <= most_words and places & place and (match := search(flat)):
            return rule.reason_for(match)
    if reason := _teaser(flat, bottom):
        return reason
    return _signature(flat) if bottom and not first else None


def classify(paragraphs: list[str], rules: list[Rule], hints: Iterable[tuple[str, str]] = ()) -> list[str | None]:
    """For each paragraph, the reason it is boilerplate, or None for reporting. ``hints`` are
    reasons from a page's markup, by paragraph text (whitespace collapsed): the text decides first."""
    rules = _rule_set(tuple(rules))
    markup = dict(hints)
    count = len(paragraphs)
    reasons: list[str | None] = []
    for index, text in enumerate(paragraphs):
        # rules judge the text as written before any encoding damage: "JosÃ©" holds no "©"
        reason = _verdict(repaired_text(text), index < EDGE, index >= count - EDGE, index == 0, rules)
        reasons.append(reason or (markup.get(collapse_whitespace(text)) if markup else None))
    return reasons
