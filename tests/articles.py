"""Generated news articles, and NEW versions made from them by operations that record what they did.

The articles read like wire copy: names with titles (“Dr.”, “Sen.”), “U.S.”, times (“10 a.m.”),
numbers (“1,500”, “5.4%”), curly and straight quotes with attribution, a byline, teasers, a credit
line and repeated “Advertisement” markers. Each sentence comes from a seed hypothesis draws, so
a failure shrinks to a short article. An operation (edit, insert, delete, merge, split, teaser churn, a
teaser restating a deleted paragraph, a moved block) changes the NEW version and writes down the
change compare() must report, so tests assert the known outcome instead of invariants only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from random import Random

from hypothesis import assume
from hypothesis import strategies as st

from cpsdiff.inputs.loading import clean_text
from cpsdiff.model import Document, Kind
from cpsdiff.text.normalize import normalized_words
from cpsdiff.text.segment import parse_document

FIRST_NAMES = """Maria James Aisha Tomas Priya Daniel Elena Marcus Grace Omar Lucia Kevin Nadia Samuel
    Ines Victor Hannah Diego Fatima Noah Keiko Andre Rosa Felix Yusuf Carmen Dmitri Abigail""".split()
SURNAMES = """Okafor Reyes Lindqvist Brennan Castillo Nakamura Whitfield Adeyemi Moreau Kowalski Haddad
    Ferreira Sorensen Delgado Abernathy Quinlan Mbeki Rosenthal Takahashi Valdez Oyelaran Petrov
    Gallagher Ibarra Lindgren Oduya Marchetti Novak""".split()
TITLES = "Dr. Sen. Gov. Rep. Prof. Sgt. Det. Lt. Mayor Judge Superintendent Chief".split()
PLACES = """Springfield Riverton Marion Lakewood Fairview Greenville Oakdale Brookhaven Millbrook
    Cedar Ashford Bellmont""".split()
US_BODIES = "Capitol Senate House Embassy Navy Army Treasury Mint Census Coast".split()
STATES = "Ill. Calif. Fla. Ore. Mich. Tenn. Ga. Wis.".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April June July August Sept. Oct. Nov. Dec.".split()
NOUNS = """budget council school union teacher contract district hospital bridge highway water
    reservoir tax levy permit ordinance zoning shelter clinic vaccine outbreak wildfire storm
    flood evacuation runway airport terminal pipeline refinery tariff shipment harbor ferry
    railway station platform library museum stadium arena franchise lawsuit verdict appeal jury
    testimony witness prosecutor defendant warrant ballot election precinct turnout candidate
    campaign donor pension payroll deficit surplus revenue audit inspector regulator license
    landlord tenant eviction rent mortgage lender subsidy grant scholarship tuition campus
    curriculum superintendent principal classroom enrollment vendor contractor bid proposal
    amendment resolution hearing committee subcommittee testimony senator governor mayor sheriff
    deputy officer detective patrol firefighter paramedic ambulance dispatcher hydrant sewer
    pavement streetlight crosswalk intersection detour closure outage transformer substation
    grid utility meter rebate""".split()
VERBS = """approved rejected delayed announced proposed questioned defended criticized postponed
    expanded reduced suspended restored challenged reviewed confirmed denied disclosed ordered
    blocked funded cancelled renewed amended audited inspected investigated dismissed upheld
    overturned endorsed opposed negotiated ratified vetoed drafted published revised estimated
    projected doubled halved replaced repaired reopened evacuated rescued warned urged praised
    thanked accused cleared charged arrested released sentenced appointed hired fired promoted
    relocated""".split()
ADJECTIVES = """new revised temporary permanent annual quarterly federal municipal regional rural urban
    emergency preliminary final disputed controversial unanimous narrow sweeping modest costly
    routine unexpected overdue independent private public residential commercial historic
    aging crowded vacant flooded damaged""".split()
FUNCTION = "the the the a of of to to in on for with after before over under during".split()
# Words an edit may substitute, insert or delete: the lower-case vocabulary of the body.
VOCABULARY = frozenset(NOUNS + VERBS + ADJECTIVES + FUNCTION)
CONTENT = sorted(set(NOUNS + VERBS + ADJECTIVES))

# Labels the teaser-label rule knows, and labels only the teaser shape (label, headline) finds.
TEASER_LABELS = ["READ MORE:", "RELATED:", "Read more:", "See also:", "WATCH:", "Related coverage:",
                 "MUST READ:", "Also on KTLA:", "MORE COVERAGE:", "Opinion:"]
CREDIT_LINES = [
    "The Associated Press contributed to this report.",
    "Reuters contributed to this report.",
    "Staff writer {name} contributed reporting to this story.",
]
ADVERTISEMENT = "Advertisement"


@dataclass(frozen=True)
class Para:
    """One paragraph: its sentences as tokens (joined by spaces), and what chrome it is, if any."""

    sentences: tuple[tuple[str, ...], ...]
    chrome: str | None = None  # "byline", "teaser", "credit", "advertisement"; None: reporting

    @property
    def text(self) -> str:
        return " ".join(" ".join(sentence) for sentence in self.sentences)

    @property
    def words(self) -> int:
        return sum(len(sentence) for sentence in self.sentences)


def chrome(text: str, kind: str) -> Para:
    return Para((tuple(text.split()),), kind)


# --- sentences --------------------------------------------------------------------------------
# Text comes from a seed hypothesis draws: one draw per sentence keeps generation fast (a draw per
# word cost 50 ms an article), and shrinking still drops sentences, paragraphs and operations.

SEEDS = st.integers(0, 2**32 - 1)


def _pick(draw, words: Sequence[str]) -> str:
    return draw(st.sampled_from(words))


def _name(rng: Random) -> list[str]:
    return [rng.choice(FIRST_NAMES), rng.choice(SURNAMES)]


def _person(rng: Random) -> list[str]:
    """“Dr. Maria Okafor”, “Mayor Tomas Reyes” or just a name."""
    title = rng.choice([None, *TITLES])
    return ([title] if title else []) + _name(rng)


def _noun_phrase(rng: Random) -> list[str]:
    words = ["the"]
    if rng.random() < 0.5:
        words.append(rng.choice(ADJECTIVES))
    words.append(rng.choice(NOUNS))
    if rng.random() < 0.3:
        words += ["of", "the", rng.choice(NOUNS)]
    return words


def _body(rng: Random, low: int, high: int) -> list[str]:
    """Lower-case running words: content words with a few function words between them."""
    return [rng.choice(FUNCTION) if rng.random() < 0.25 else rng.choice(CONTENT) for _ in range(rng.randint(low, high))]


def _number(rng: Random) -> str:
    n = rng.randint(2, 9999)
    return rng.choice([f"{n:,}", f"{n % 100}.{n % 10}%", f"${n % 90 + 2}.{n % 10} million", str(n % 97 + 3)])


def _when(rng: Random) -> list[str]:
    """A time or date that ends the sentence or continues it (“10 a.m. on Friday”)."""
    hour, clock = str(rng.randint(1, 12)), rng.choice(["a.m.", "p.m."])
    return rng.choice([
        ["at", hour, clock, "on", rng.choice(WEEKDAYS)],
        ["by", f"{hour}:{rng.choice(['00', '15', '30', '45'])}", clock],
        ["on", rng.choice(MONTHS), str(rng.randint(1, 28))],
        ["last", rng.choice(WEEKDAYS)],
    ])


def _capitalised(words: list[str]) -> list[str]:
    return [words[0][:1].upper() + words[0][1:], *words[1:]]


def _end(words: list[str]) -> tuple[str, ...]:
    last = words[-1] if words[-1].endswith(".") else words[-1] + "."  # “p.m.” ends it already
    return (*words[:-1], last)


def sentence(seed: int) -> tuple[str, ...]:
    """One sentence as tokens, in one of the shapes of wire copy; one in seven is short (three or
    four words), the rest have six or more."""
    rng = Random(seed)
    shape = rng.randint(0, 6)
    if shape == 6:  # short: The levy was approved. / It was costly. / Okafor declined it.
        return rng.choice([
            ("The", rng.choice(NOUNS), "was", rng.choice(VERBS) + "."),
            ("It", "was", rng.choice(ADJECTIVES) + "."),
            (rng.choice(SURNAMES), rng.choice(VERBS), "it."),
        ])
    if shape == 0:  # Dr. Maria Okafor approved the new budget after the hearing on Friday.
        words = _person(rng) + [rng.choice(VERBS)] + _noun_phrase(rng) + _body(rng, 1, 6)
        return _end(words + (_when(rng) if rng.random() < 0.5 else []))
    if shape == 1:  # The district approved 1,500 permits for the clinic in Marion.
        words = _capitalised(_noun_phrase(rng)) + [rng.choice(VERBS), _number(rng)]
        return _end(words + _body(rng, 2, 7) + ["in", rng.choice(PLACES)])
    if shape in (2, 3):  # “Quoted words,” she said. / "Quoted words?" asked Sen. Tomas Reyes.
        opening, closing = ("“", "”") if shape == 2 else ('"', '"')
        quoted = _capitalised(_body(rng, 5, 12))
        mark = rng.choice([",", ",", "?", "!"])
        quoted = [opening + quoted[0], *quoted[1:-1], quoted[-1] + mark + closing]
        verb = "asked" if mark == "?" else "said"
        return rng.choice([
            (*quoted, rng.choice(["she", "he"]), verb + "."),
            (*quoted, verb, *_end(_person(rng))),
            (*quoted, *_person(rng), verb + "."),
        ])
    if shape == 4:  # U.S. officials questioned the permit before the U.S. Senate by 10:30 p.m.
        words = ["U.S.", rng.choice(["officials", "regulators", "prosecutors", "senators"]), rng.choice(VERBS)]
        words += _noun_phrase(rng) + _body(rng, 0, 5)
        if rng.random() < 0.5:  # ... before the U.S. Senate
            words += [rng.choice(["in", "before", "with", "for", "near"]), "the", "U.S.", rng.choice(US_BODIES)]
        return _end(words + _when(rng))
    # Officials said the levy of the district was approved ...
    words = [rng.choice(["Officials", "Police", "Investigators", "Residents", "Lawmakers"]), "said"]
    return _end(words + _noun_phrase(rng) + [rng.choice(VERBS)] + _body(rng, 2, 8))


sentences = SEEDS.map(sentence)


@st.composite
def reporting(draw, max_sentences: int = 4) -> Para:
    return Para(tuple(map(sentence, draw(st.lists(SEEDS, min_size=1, max_size=max_sentences, unique=True)))))


@st.composite
def _reporting_paragraphs(draw, low: int, high: int) -> list[Para]:
    """Paragraphs of one to four sentences, no two sentences from one seed (hypothesis likes
    to repeat small integers, which would repeat sentences)."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=low, max_size=high))
    seeds = draw(st.lists(SEEDS, min_size=sum(sizes), max_size=sum(sizes), unique=True))
    starts = [sum(sizes[:k]) for k in range(len(sizes) + 1)]
    return [Para(tuple(map(sentence, seeds[a:b]))) for a, b in zip(starts, starts[1:])]


def teaser(seed: int) -> Para:
    """READ MORE: Headline Case Link Text (no final punctuation)."""
    rng = Random(seed)
    words = [rng.choice(CONTENT).capitalize() for _ in range(rng.randint(3, 8))]
    return chrome(" ".join([rng.choice(TEASER_LABELS), *words]), "teaser")


teasers = SEEDS.map(teaser)


def reworded_teaser(old: Para, rng: Random) -> Para | None:
    """The same label and the start of the headline, then other words: a link to another story,
    as alike as chrome may be (word similarity 0.5 to 0.7) without being the same chrome
    (cpsdiff links chrome to chrome only from 0.75). None if the headline is too short."""
    tokens = list(old.sentences[0])
    cut = next(k for k, token in enumerate(tokens) if token.endswith(":")) + 1
    label, headline = tokens[:cut], tokens[cut:]
    fixed, size = len(normalized_words(" ".join(label))), len(headline)
    keep = max(k for k in range(size + 1) if (fixed + k) / (fixed + size) < 0.7)
    if (fixed + keep) / (fixed + size) < 0.5:
        return None
    unused = [w.capitalize() for w in CONTENT if w.capitalize() not in headline]
    return chrome(" ".join(label + headline[:keep] + rng.sample(unused, size - keep)), "teaser")


def restating_teaser(paragraph: Para, label: str) -> Para:
    """A teaser whose headline restates the paragraph's first sentence, as sites do."""
    sentence = paragraph.sentences[0]
    if "—" in sentence:  # no dateline in a headline
        sentence = sentence[sentence.index("—") + 1 :]
    words = [w.strip("“”\"',.?!") for w in sentence[:14]]
    headline = [w[:1].upper() + w[1:] for w in words if w]
    return chrome(" ".join([label, *headline]), "teaser")


# --- articles --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Article:
    paragraphs: tuple[Para, ...]
    crlf: bool = False
    wrap: int | None = None  # hard-wrapped at this many columns (e-mailed copy, some CMS exports)

    def paragraph_texts(self) -> list[str]:
        """Each paragraph as it stands in the text (with its line breaks, as \\n)."""
        if self.wrap is None:
            return [p.text for p in self.paragraphs]
        return [textwrap.fill(p.text, self.wrap, break_long_words=False, break_on_hyphens=False)
                for p in self.paragraphs]

    def text(self) -> str:
        newline = "\r\n" if self.crlf else "\n"
        return (newline * 2).join(t.replace("\n", newline) for t in self.paragraph_texts()) + newline

    def document(self, name: str = "article") -> Document:
        """Parsed as every input is read (line endings normalised first)."""
        return parse_document(clean_text(self.text()), name)


@st.composite
def articles(draw, min_reporting: int = 2, max_reporting: int = 10, repeats: bool = True) -> Article:
    """A byline (maybe), a dateline lede, reporting with teasers and repeated markers between,
    and a credit line (maybe). Reporting paragraphs share no phrase (see ``unrelated``)."""
    body = draw(_reporting_paragraphs(min_reporting, max_reporting))
    rng = Random(draw(SEEDS))  # the chrome's names and wording
    if draw(st.booleans()):  # SPRINGFIELD, Ill. (AP) — ...
        lede = body[0].sentences
        dateline = (rng.choice(PLACES).upper() + ",", rng.choice(STATES), "(AP)", "—")
        body[0] = Para(((*dateline, *lede[0]), *lede[1:]))
    for _ in range(draw(st.integers(0, 2))):
        body.insert(draw(st.integers(1, len(body))), draw(teasers))
    if repeats:
        for _ in range(draw(st.integers(0, 3))):
            body.insert(draw(st.integers(1, len(body))), chrome(ADVERTISEMENT, "advertisement"))
    if draw(st.booleans()):
        body.insert(0, chrome("By " + " ".join(_name(rng)), "byline"))
    if draw(st.booleans()):
        body.append(chrome(rng.choice(CREDIT_LINES).replace("{name}", " ".join(_name(rng))), "credit"))
    assume(unrelated([p for p in body if p.chrome != "advertisement"]))
    return Article(tuple(body), crlf=draw(st.booleans()))


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = normalized_words(text)
    return {words[i : i + size] for i in range(len(words) - size + 1)}


def unrelated(paragraphs: Sequence[Para]) -> bool:
    """No two of these paragraphs could pass for versions of one another: no sentence resembles
    another and no six-word phrase is shared (cpsdiff links on such a phrase). Stock phrases
    (“officials said the”, “the U.S.”) may repeat, as they do in news."""
    runs = [_shingles(p.text, 6) for p in paragraphs]
    sentence_shingles = [[_shingles(" ".join(s), 3) for s in p.sentences] for p in paragraphs]
    for a in range(len(paragraphs)):
        for b in range(a):
            if paragraphs[a].text == paragraphs[b].text or runs[a] & runs[b]:
                return False
            for x in sentence_shingles[a]:
                for y in sentence_shingles[b]:
                    if x & y and len(x & y) / len(x | y) >= 0.25:
                        return False
    return True


# --- operations ------------------------------------------------------------------------------

@dataclass
class Entry:
    """A NEW paragraph and where it came from: the change compare() must report for it."""

    para: Para
    kind: Kind
    old: tuple[int, ...]  # OLD paragraphs it came from
    pinned: bool = False  # left alone by operations (the copies of a repeated paragraph)
    side: str | None = None  # in a move: "block" (moved) or "jumped" (moved past)

    @property
    def untouched(self) -> bool:
        return self.kind is Kind.UNCHANGED and not self.pinned


@dataclass(frozen=True)
class Expected:
    kind: Kind
    old: tuple[int, ...]
    new: tuple[int, ...]


@dataclass
class Plan:
    """OLD, the NEW made from it, and what each operation did."""

    old: Article
    entries: list[Entry]
    removed: list[int] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    moved_block: tuple[int, ...] = ()  # NEW indices of a moved block (move plans)
    jumped: tuple[int, ...] = ()  # NEW indices of the paragraphs it jumped over

    @property
    def new(self) -> Article:
        return Article(tuple(e.para for e in self.entries), self.old.crlf)

    def expected(self) -> set[Expected]:
        """Every change compare() must report, OLD and NEW indices as in the documents."""
        groups: dict[tuple[Kind, tuple[int, ...]], list[int]] = {}
        singles = []
        for j, entry in enumerate(self.entries):
            if entry.kind is Kind.SPLIT:
                groups.setdefault((entry.kind, entry.old), []).append(j)
            else:
                singles.append(Expected(entry.kind, entry.old, (j,)))
        split = [Expected(kind, old, tuple(news)) for (kind, old), news in groups.items()]
        return {*singles, *split, *(Expected(Kind.REMOVED, (i,), ()) for i in self.removed)}

    def of_kind(self, kind: Kind) -> set[Expected]:
        return {e for e in self.expected() if e.kind is kind}


def _is_long(sentence: Sequence[str]) -> bool:
    """Five words or more: long enough for cpsdiff to match it as a sentence (MIN_SENTENCE_WORDS)."""
    return len(normalized_words(" ".join(sentence))) >= 5


def _has_long(sentences: Sequence[Sequence[str]]) -> bool:
    return any(map(_is_long, sentences))


EDITABLE_WORDS = 8  # a paragraph edited by a word keeps a shared phrase and most of its words


def _edit(draw, paragraph: Para) -> Para:
    """A few word substitutions, insertions and deletions: most words stay, in order."""
    sentences = [list(s) for s in paragraph.sentences]
    places = [(k, w) for k, s in enumerate(sentences) for w, token in enumerate(s) if token in VOCABULARY]
    assume(places)
    for _ in range(draw(st.integers(1, max(1, paragraph.words // 10)))):
        places = [(k, w) for k, s in enumerate(sentences) for w, token in enumerate(s) if token in VOCABULARY]
        k, w = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["substitute", "insert", "delete"]))
        if action == "delete" and len(sentences[k]) > 6:
            del sentences[k][w]
        elif action == "insert":
            sentences[k].insert(w, _pick(draw, ADJECTIVES))
        else:
            sentences[k][w] = _pick(draw, [c for c in CONTENT if c != sentences[k][w]])
    edited = Para(tuple(map(tuple, sentences)))
    assume(edited.text != paragraph.text)
    return edited


def _targets(entries: list[Entry], reporting_only: bool = True, sided: bool = False) -> list[int]:
    return [k for k, e in enumerate(entries) if e.untouched and (e.para.chrome is None or not reporting_only)
            and (e.side is not None or not sided)]


def _insert_at(draw, entries: list[Entry]) -> int:
    """Anywhere after a byline, which stays on top."""
    first = 1 if entries and entries[0].para.chrome == "byline" else 0
    return draw(st.integers(first, len(entries)))


def apply(draw, plan: Plan, operation: str, fresh: list[Para], sided: bool = False) -> None:
    """Apply one operation to plan.entries; ``fresh`` collects generated text (checked later).
    ``sided``: edit or merge only paragraphs on one side of a move."""
    entries = plan.entries
    if operation == "edit":
        targets = [k for k in _targets(entries, sided=sided) if entries[k].para.words >= EDITABLE_WORDS]
        if targets:
            k = draw(st.sampled_from(targets))
            entries[k] = replace(entries[k], para=_edit(draw, entries[k].para), kind=Kind.EDITED)
    elif operation == "insert":
        paragraph = draw(st.one_of(reporting(), teasers))
        fresh.append(paragraph)
        entries.insert(_insert_at(draw, entries), Entry(paragraph, Kind.ADDED, ()))
    elif operation == "delete":
        targets = _targets(entries, reporting_only=False)
        if targets:
            k = draw(st.sampled_from(targets))
            plan.removed.append(entries.pop(k).old[0])
    elif operation in ("merge", "merge short"):
        # a merge of paragraphs with a sentence of five words or more each, or with a paragraph
        # of short sentences only (“merge short”)
        candidates = set(_targets(entries, sided=sided))
        short = operation == "merge short"
        targets = [k for k in sorted(candidates) if k + 1 in candidates and entries[k].side == entries[k + 1].side
                   and short != (_has_long(entries[k].para.sentences) and _has_long(entries[k + 1].para.sentences))]
        if targets:
            k = draw(st.sampled_from(targets))
            first, second = entries[k], entries.pop(k + 1)
            merged = Para(first.para.sentences + second.para.sentences)
            entries[k] = replace(first, para=merged, kind=Kind.MERGED, old=first.old + second.old)
    elif operation in ("split", "split short"):
        # at a sentence boundary, each part with a sentence of five words or more, or a part of
        # short sentences only (“split short”)
        short = operation == "split short"
        cuts = {
            k: [c for c in range(1, len(entries[k].para.sentences))
                if short != (_has_long(entries[k].para.sentences[:c]) and _has_long(entries[k].para.sentences[c:]))]
            for k in _targets(entries)
        }
        targets = [k for k, ks in cuts.items() if ks]
        if targets:
            k = draw(st.sampled_from(targets))
            whole = entries[k]
            cut = draw(st.sampled_from(cuts[k]))
            entries[k : k + 1] = [
                Entry(Para(whole.para.sentences[:cut]), Kind.SPLIT, whole.old),
                Entry(Para(whole.para.sentences[cut:]), Kind.SPLIT, whole.old),
            ]
    elif operation == "churn":  # one teaser replaced by another
        targets = [k for k, e in enumerate(entries) if e.untouched and e.para.chrome == "teaser"]
        if targets:
            k = draw(st.sampled_from(targets))
            plan.removed.append(entries[k].old[0])
            teaser = reworded_teaser(entries[k].para, Random(draw(SEEDS))) if draw(st.booleans()) else None
            if teaser is None:
                teaser = draw(teasers)
                fresh.append(teaser)
            entries[k] = Entry(teaser, Kind.ADDED, ())
    elif operation == "restate":  # a paragraph deleted, a teaser restating it in its place
        targets = _targets(entries)
        if targets:
            k = draw(st.sampled_from(targets))
            plan.removed.append(entries[k].old[0])
            entries[k] = Entry(restating_teaser(entries[k].para, _pick(draw, TEASER_LABELS)), Kind.ADDED, ())
    else:
        raise ValueError(operation)
    plan.operations.append(operation)


OPERATIONS = ("edit", "insert", "delete", "merge", "split", "churn", "restate")


@st.composite
def plans(draw, operations: Sequence[str] = OPERATIONS, min_operations: int = 1, max_operations: int = 5,
          repeats: bool = True, min_reporting: int = 2, max_reporting: int = 10) -> Plan:
    """OLD (with repeated markers such as "Advertisement" unless ``repeats`` is false), and a
    NEW made by a few of ``operations``, in order (nothing moves)."""
    old = draw(articles(min_reporting=min_reporting, max_reporting=max_reporting, repeats=repeats))
    return _operate(draw, old, operations, min_operations, max_operations, pinned=ADVERTISEMENT)


def _operate(draw, old: Article, operations, min_operations: int, max_operations: int, pinned: str) -> Plan:
    """Apply a few operations to OLD; paragraphs whose text is ``pinned`` are left alone."""
    plan = Plan(old, [Entry(p, Kind.UNCHANGED, (i,), p.text == pinned) for i, p in enumerate(old.paragraphs)])
    fresh: list[Para] = []
    for _ in range(draw(st.integers(min_operations, max_operations))):
        apply(draw, plan, draw(st.sampled_from(operations)), fresh)
    # New text must not pass for an edit of text it did not come from.
    copies = [p for p in old.paragraphs if p.text == pinned]
    assume(unrelated([p for p in old.paragraphs if p.text != pinned] + copies[:1] + fresh))
    return plan


@st.composite
def repeated_plans(draw, reword: bool) -> Plan:
    """OLD repeats one text at several places: a marker or a reporting paragraph (a CMS glitch).
    NEW edits, inserts and deletes other paragraphs; with ``reword`` every copy (of a reporting
    paragraph) is reworded the same way, so the copies tie as near duplicates, not as equals."""
    old = draw(articles(min_reporting=3, repeats=False))
    body = list(old.paragraphs)
    reporting_at = [k for k, p in enumerate(body) if p.chrome is None]
    markers = [] if reword else [chrome(ADVERTISEMENT, "advertisement")]
    if reword:
        reporting_at = [k for k in reporting_at if body[k].words >= EDITABLE_WORDS]
    assume(markers or reporting_at)
    repeated = draw(st.sampled_from([*markers, *(body[k] for k in reporting_at)]))
    first = 1 if body[0].chrome == "byline" else 0
    for _ in range(draw(st.integers(1, 3))):
        body.insert(draw(st.integers(first, len(body))), repeated)
    old = Article(tuple(body), old.crlf)
    plan = _operate(draw, old, ("edit", "insert", "delete"), 1, 4, pinned=repeated.text)
    if reword:
        reworded = _edit(draw, repeated)
        others = [p for p in old.paragraphs if p.text != repeated.text]
        others += [e.para for e in plan.entries if e.kind is Kind.ADDED]
        assume(unrelated([reworded, *others]))
        for k, entry in enumerate(plan.entries):
            if entry.pinned:
                plan.entries[k] = Entry(reworded, Kind.EDITED, entry.old, pinned=True)
        plan.operations.append("reword the copies")
    return plan


@st.composite
def move_plans(draw) -> Plan:
    """A plan of edits, merges, splits, insertions and deletions, then one block of paragraphs
    moved (never between the parts of a split)."""
    # Short articles and many operations: blocks of edits and merges, where how much a moved
    # change weighs decides which side moved.
    # No repeated markers: a marker moved past its own copy has no answer to check against.
    plan = draw(plans(operations=("edit", "edit", "edit", "merge", "merge", "split", "insert", "delete"),
                      min_operations=0, max_operations=6, min_reporting=3, max_reporting=6, repeats=False))
    entries = plan.entries
    first = 1 if entries[0].para.chrome == "byline" else 0  # the byline stays on top
    assume(len(entries) - first >= 2)
    start = draw(st.integers(first, len(entries) - 1))
    # Short moves over short distances: close contests between the block and what it jumps.
    size = draw(st.integers(1, min(3, len(entries) - start)))
    block = entries[start : start + size]
    rest = entries[:start] + entries[start + size :]
    targets = [t for t in range(max(first, start - 3), min(len(rest), start + 3) + 1) if t != start]
    assume(targets)
    target = draw(st.sampled_from(targets))
    jumped = rest[start:target] if target > start else rest[target:start]
    side = {id(e): "block" for e in block} | {id(e): "jumped" for e in jumped}
    plan.entries = [replace(e, side=side.get(id(e))) for e in rest[:target] + block + rest[target:]]
    plan.operations.append("move")
    # Then edits and merges inside the block and what it jumped, so that how much each side
    # weighs (unchanged paragraphs, changes, characters) decides what is reported moved.
    for _ in range(draw(st.integers(0, 3))):
        apply(draw, plan, draw(st.sampled_from(["edit", "merge"])), [], sided=True)
    plan.moved_block = tuple(k for k, e in enumerate(plan.entries) if e.side == "block")
    plan.jumped = tuple(k for k, e in enumerate(plan.entries) if e.side == "jumped")
    for split in plan.of_kind(Kind.SPLIT):
        parts = set(split.new)
        assume(parts <= set(plan.moved_block) or parts <= set(plan.jumped)
               or not parts & {*plan.moved_block, *plan.jumped})
    return plan


def links_of(plan: Plan, news: Sequence[int]) -> list[Expected]:
    """The expected links (not additions) among these NEW paragraphs."""
    by_new = {j: e for e in plan.expected() for j in e.new}
    return list({by_new[j] for j in news if by_new[j].kind is not Kind.ADDED})


def rare_phrase_pair() -> tuple[str, str]:
    """Two long paragraphs with many words in the same order but, apart from one phrase (six
    words, in no other paragraph), no three in a row: under a tenth of their three-word runs
    shared, no sentence in common. Only that rare phrase makes them a candidate pair."""
    shared = ("parents teachers board district budget union contract vote schools safety nurses "
              "classrooms buses lunch reading testing grades meeting plan city").split()
    ours = ("quickly openly firmly gladly boldly calmly fairly kindly loudly mostly nearly partly "
            "rarely simply slowly softly truly warmly wisely yearly").split()
    theirs = ("angrily briefly clearly deeply easily freshly gently hardly justly lightly madly neatly "
              "oddly politely quietly rightly sadly tightly vastly wildly").split()
    phrase = "close the harmon street fire station"
    old = " ".join(w for pair in zip(shared, ours) for w in pair) + f" would {phrase} next spring."
    new = " ".join(w for pair in zip(shared, theirs) for w in pair) + f" may {phrase} in march."
    return old.capitalize(), new.capitalize()
