"""lineage(versions): where every sentence of a corpus first appeared, how it changed, where
it was reused, and which quotes drifted."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from cpsdiff.diff.boilerplate import Rule, classify, default_rules
from cpsdiff.diff.worddiff import compare_words
from cpsdiff.inputs.corpus import Version
from cpsdiff.lineage.chronology import Chronology, OrderMode, check_orderable, chronology
from cpsdiff.lineage.families import UnionFind, group, trivial_text
from cpsdiff.lineage.results import Appearance, Drift, Family, Lineage, Reuse, VersionInfo, extra_with_version
from cpsdiff.lineage.rewrites import Source, Stated, corpus_updates, rewrites
from cpsdiff.model import Document, Sentence
from cpsdiff.text.normalize import normalize, text_hash
from cpsdiff.text.quotes import quoted_in, speaker
from cpsdiff.text.segment import content_hash, parse_document

K = TypeVar("K", int, str)  # a version: its index (in memory) or its row id (in a store)
SAME_STORY_SHARE = 0.2  # share of a version's reporting sentences found in another: same story
BIG_FAMILY = 50


@dataclass(frozen=True, slots=True)
class _Sentences:
    """Every sentence of the corpus, version by version in reading order, as columns: made a
    paragraph at a time (lists extended), not an object per sentence."""

    version: list[int]  # index of the version as given
    paragraph: list[int]
    index: list[int]  # in its paragraph
    sentence: list[Sentence]
    boilerplate: list[bool]
    paragraph_text: list[str]
    previous_text: list[str | None]  # of the paragraph before
    starts: list[int]  # where each version's sentences start, and where the last ends

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentence]

    @property
    def norm_hashes(self) -> list[str]:
        return [s.norm_hash for s in self.sentence]


def _sentences(docs: Sequence[Document], boilerplate: Sequence[Sequence[bool]]) -> _Sentences:
    found = _Sentences([], [], [], [], [], [], [], [])
    for v, doc in enumerate(docs):
        found.starts.append(len(found.sentence))
        previous = None
        for paragraph in doc.paragraphs:
            n = len(paragraph.sentences)
            found.version.extend([v] * n)
            found.paragraph.extend([paragraph.index] * n)
            found.index.extend(range(n))
            found.sentence.extend(paragraph.sentences)
            found.boilerplate.extend([boilerplate[v][paragraph.index]] * n)
            found.paragraph_text.extend([paragraph.text] * n)
            found.previous_text.extend([previous] * n)
            previous = paragraph.text
    found.starts.append(len(found.sentence))
    return found


def shared_families(groups: Iterable[Sequence[int]]) -> Counter[tuple[int, int]]:
    """For each pair of versions, how many families (given as their versions) they share.
    A sentence in very many versions (a standing line) says nothing about which story is which."""
    shared: Counter[tuple[int, int]] = Counter()
    for members in groups:
        present = sorted(set(members))
        if 1 < len(present) <= BIG_FAMILY:
            for a in range(len(present)):
                for b in range(a + 1, len(present)):
                    shared[present[a], present[b]] += 1
    return shared


def _stories(versions: Sequence[Version], found: _Sentences, families: Sequence[list[int]]) -> list[str]:
    """Each version's story: as given, else versions sharing much reporting text are one story."""
    if all(v.story for v in versions):
        return [str(v.story) for v in versions]
    version, boilerplate = found.version, found.boilerplate
    reporting = Counter(v for v, boiler in zip(version, boilerplate) if not boiler)
    shared = shared_families([version[k] for k in members if not boilerplate[k]] for members in families)
    return list(name_stories({i: v.story for i, v in enumerate(versions)}, reporting, shared).values())


def name_stories(given: dict[K, str | None], reporting: Counter[K], shared: Counter[tuple[K, K]]) -> dict[K, str]:
    """Versions without a story that share much reporting are one story, named story-1, story-2…"""
    finder: UnionFind[K] = UnionFind()
    for (a, b), count in shared.items():
        smaller = min(reporting[a], reporting[b]) or 1
        if count / smaller >= SAME_STORY_SHARE and not (given[a] or given[b]):
            finder.union(a, b)
    names: dict[K, str] = {}
    return {key: story or names.setdefault(finder.find(key), f"story-{len(names) + 1}") for key, story in given.items()}


def _paired_with(versions: list[int], among: Collection[int] | None) -> Callable[[int], list[int]]:
    """The versions to pair with each of VERSIONS: all of them, or, when only pairs holding a
    version AMONG are wanted, all for one AMONG and those AMONG for the others (listed once:
    pairing a few versions with thousands stays linear)."""
    if among is None:
        return lambda a: versions
    focused = [v for v in versions if v in among]
    return lambda a: versions if a in among else focused


def _derivations(found: _Sentences, families, stories, among: Collection[int] | None) -> list[tuple[int, int, str]]:
    """Across stories, text reused in a shortened form points from source to borrower (between
    every two versions, or only where one is AMONG)."""
    votes: Counter[tuple[int, int]] = Counter()
    version, sentence = found.version, found.sentence
    for members in families:
        first: dict[int, Sentence] = {}
        for k in members:
            first.setdefault(version[k], sentence[k])
        if len({s.norm_hash for s in first.values()}) < 2:
            continue  # one wording: nothing shortened (and no pairs of versions to go through)
        versions = sorted(first)
        paired_with = _paired_with(versions, among)
        for a in versions:
            for b in paired_with(a):
                if a < b and stories[a] != stories[b] and first[a].norm_hash != first[b].norm_hash:
                    diff = compare_words(first[a].text, first[b].text).diff
                    ops = {op for op, text in diff if op != "=" and text.strip()}
                    if ops == {"-"}:
                        votes[a, b] += 1
                    elif ops == {"+"}:
                        votes[b, a] += 1
    return [
        (a, b, "reuses its text in a shortened form")
        for (a, b), n in sorted(votes.items())
        if n > votes.get((b, a), 0)
    ]


def _growth(found: _Sentences, families, stories, among: Collection[int] | None) -> list[tuple[int, int, str]]:
    """Within a story, an update usually keeps the earlier text and adds to it: of two versions
    sharing most sentences, the one with more sentences of its own is taken as the later
    (between every two versions, or only where one is AMONG)."""
    family_sets: dict[int, set[int]] = defaultdict(set)
    version, boilerplate = found.version, found.boilerplate
    for f, members in enumerate(families):
        for k in members:
            if not boilerplate[k]:
                family_sets[version[k]].add(f)
    by_story: dict[str, list[int]] = defaultdict(list)
    for version, story in enumerate(stories):
        by_story[story].append(version)
    found = []
    for members in by_story.values():
        paired_with = _paired_with(members, among)
        for a in members:
            for b in paired_with(a):
                shared = len(family_sets[a] & family_sets[b])
                own_a, own_b = len(family_sets[a]) - shared, len(family_sets[b]) - shared
                if a != b and own_b > own_a and shared * 2 >= min(len(family_sets[a]), len(family_sets[b])):
                    more = own_b - own_a  # (render.labels.plural's wording; lineage sits below render)
                    found.append((a, b, f"keeps its text and adds {more} more sentence{'' if more == 1 else 's'}"))
    return found


class Occurrence(NamedTuple):
    """A sentence where it stands in one version: what building a family needs to know."""

    position: int  # of the version in the chronology
    paragraph: int
    sentence: int
    text: str
    start: int  # of the sentence in its paragraph
    paragraph_text: str
    previous_paragraph: str | None  # a lead-in ("… wrote on Friday:") may name the speaker
    story: str
    boilerplate: bool
    norm_hash: str

    def quoted(self) -> list[str]:
        return quoted_in(self.paragraph_text, self.start, self.start + len(self.text))


def _drift(before: Occurrence, after: Occurrence) -> Drift | None:
    old_quotes, new_quotes = before.quoted(), after.quoted()
    if not old_quotes or not new_quotes:
        return None
    old_quote, new_quote = " … ".join(old_quotes), " … ".join(new_quotes)
    if normalize(old_quote) == normalize(new_quote):
        return None
    name = None
    for occurrence in (after, before):
        name = speaker(occurrence.text, occurrence.paragraph_text, occurrence.previous_paragraph)
        if name and name.lower() not in ("he", "she", "they"):
            break
    return Drift(
        name, before.position, after.position, before.paragraph, after.paragraph,
        old_quote, new_quote, compare_words(old_quote, new_quote).diff,
    )


COUNTS = ("new", "carried", "edited", "reused", "boilerplate")


def family_id(first: Occurrence) -> str:
    """A family is named after its first sentence's text; a trivial sentence ("1."), which forms
    no family and so stands alone wherever it is, after its place too."""
    if trivial_text(first.text):
        return "f" + text_hash(f"{first.norm_hash}@{first.position}.{first.paragraph}.{first.sentence}")[:12]
    return "f" + first.norm_hash[:12]


def build_family(
    occurrences: Sequence[Occurrence], counts: Sequence[Counter], rewritten: Mapping[tuple[int, int, int], Source] | None = None
) -> Family:
    """A family from its occurrences in chronological order; tallies each version's counts.
    REWRITTEN: first appearances made from an earlier sentence (see rewrites)."""
    appearances: list[Appearance] = []
    drift: list[Drift] = []
    seen: set[int] = set()  # versions with an earlier occurrence
    boiler = 0
    changed = cross_story = False
    previous: Occurrence | None = None
    for o in occurrences:
        position = o.position
        if previous is None:
            source = rewritten.get((position, o.paragraph, o.sentence)) if rewritten else None
            if source is None:
                appearance = Appearance(position, o.paragraph, o.sentence, o.text, Reuse.FIRST)
                kind = "new"
            else:
                compared = compare_words(source.text, o.text)
                appearance = Appearance(position, o.paragraph, o.sentence, o.text, Reuse.FIRST,
                                        round(compared.similarity, 3), compared.diff, source)
                kind = "edited"
                changed = True
        else:
            same_story = previous.story == o.story
            reuse = Reuse.UPDATE if same_story else Reuse.OTHER_STORY
            cross_story = cross_story or not same_story
            if previous.norm_hash == o.norm_hash:
                appearance = Appearance(position, o.paragraph, o.sentence, o.text, reuse, 1.0)
                kind = "carried"
            else:
                compared = compare_words(previous.text, o.text)
                appearance = Appearance(
                    position, o.paragraph, o.sentence, o.text, reuse, round(compared.similarity, 3), compared.diff
                )
                kind = "edited"
                changed = True
                found = _drift(previous, o)
                if found:
                    drift.append(found)
            if position in seen:
                kind = "new"
            elif not same_story:
                kind = "reused"
        if o.boilerplate:
            kind = "boilerplate"
            boiler += 1
        counts[position][kind] += 1
        seen.add(position)
        appearances.append(appearance)
        previous = o
    return Family(
        family_id(occurrences[0]),
        "boilerplate" if boiler * 2 > len(occurrences) else "reporting",
        tuple(appearances),
        changed,
        cross_story,
        tuple(drift),
    )


def _family_of(found: _Sentences, families: Sequence[list[int]]) -> list[int]:
    family_of = [0] * len(found.sentence)
    for f, members in enumerate(families):
        for k in members:
            family_of[k] = f
    return family_of


def _stated(found: _Sentences, family_of: list[int], order: Sequence[int],
            stories: Sequence[str]) -> Iterator[tuple[str, list[int], Callable[[int], Stated]]]:
    """Each version's story, its sentences' families and how to state one, in chronological order."""

    def stated(k: int) -> Stated:
        return Stated(found.paragraph[k], found.index[k], found.sentence[k].text, found.boilerplate[k])

    for given in order:
        start = found.starts[given]
        yield stories[given], family_of[start : found.starts[given + 1]], lambda i, start=start: stated(start + i)


def _occurrences(
    found: _Sentences, family_of: list[int], families: int, order: Sequence[int], stories: Sequence[str]
) -> list[list[Occurrence]]:
    """Each family's occurrences in reading order through the chronology, families by their
    first: what sorting them by (position, paragraph, sentence) gives, without sorting (the
    sentences are in reading order within each version)."""
    paragraph, index, sentence, boilerplate = found.paragraph, found.index, found.sentence, found.boilerplate
    paragraph_text, previous_text, starts = found.paragraph_text, found.previous_text, found.starts
    ordered: list[list[Occurrence]] = []
    slots: list[list[Occurrence] | None] = [None] * families
    for position, given in enumerate(order):
        story = stories[given]
        for k in range(starts[given], starts[given + 1]):
            s = sentence[k]
            occurrence = Occurrence(position, paragraph[k], index[k], s.text, s.start, paragraph_text[k],
                                    previous_text[k], story, boilerplate[k], s.norm_hash)
            members = slots[family_of[k]]
            if members is None:
                members = slots[family_of[k]] = []
                ordered.append(members)
            members.append(occurrence)
    return ordered


def lineage(
    versions: Sequence[Version], mode: OrderMode = OrderMode.AUTO, rules: Sequence[Rule] | None = None
) -> Lineage:
    check_orderable(versions, mode)
    rules = default_rules() if rules is None else list(rules)
    given_docs = [parse_document(v.text, v.id, v.hints) for v in versions]
    given_reasons = [classify([p.text for p in d.paragraphs], rules, d.hints) for d in given_docs]
    given_bp = [[r is not None for r in reasons] for reasons in given_reasons]
    found = _sentences(given_docs, given_bp)
    given_families = group(found.norm_hashes, found.texts)
    stories = _stories(versions, found, given_families)

    def derivations(among: Collection[int] | None = None) -> list[tuple[int, int, str]]:
        """Evidence for the order beyond time references, strongest first: between every two
        versions, or only pairs with a version AMONG (the others are ordered by their times)."""
        return _derivations(found, given_families, stories, among) + _growth(found, given_families, stories, among)

    chrono: Chronology = chronology(versions, mode, derivations)

    docs = tuple(given_docs[g] for g in chrono.order)
    counts = [Counter() for _ in docs]
    family_of = _family_of(found, given_families)  # each sentence's, by its index in found
    rewritten = rewrites(corpus_updates(_stated(found, family_of, chrono.order, stories)))
    families = [
        build_family(occurrences, counts, rewritten)
        for occurrences in _occurrences(found, family_of, len(given_families), chrono.order, stories)
    ]
    infos = []
    for pos, given in enumerate(chrono.order):
        version = versions[given]
        infos.append(
            VersionInfo(
                version.id, stories[given], pos, chrono.reasons[given],
                version.time.isoformat() if version.time else None,
                len(docs[pos].paragraphs),
                {k: counts[pos][k] for k in COUNTS},
                extra_with_version(version.extra, version.version),
                docs[pos].hash,
                content_hash(docs[pos]),
            )
        )
    return Lineage(chrono.method, tuple(infos), docs, tuple(tuple(given_bp[g]) for g in chrono.order), tuple(families))
