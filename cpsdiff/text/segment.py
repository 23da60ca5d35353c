"""Split article text into paragraphs and sentences.

Paragraphs are blocks separated by blank lines; a text with no blank line at all (wire copy,
some CMS exports) has one paragraph per line. Sentences are found by a news-aware rule set:
abbreviations, initials, decimals and quotes that span sentences do not end a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

from cpsdiff.model import Document, Paragraph, Sentence
from cpsdiff.text.normalize import collapse_whitespace, exact_and_norm_hash, exact_hash, text_hash
from cpsdiff.text.timerefs import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

_PARAGRAPH_ENDS = (".", "!", "?", "…", ":", '"', "”", "’", "'", ")")

# Never end a sentence: titles, months and other abbreviations that precede what they modify.
_TITLES = frozenset(
    """mr mrs ms mx dr prof sen rep reps gov lt gen col sgt capt cmdr adm maj cpl pvt supt
    det insp atty rev fr msgr hon pres ste mt ft no nos vol op art fig sec ch pp p
    jan feb mar apr jun jul aug sep sept oct nov dec approx est dept univ assn
    ala ariz ark calif colo conn fla ga ill ind kan ky md mass mich minn miss mont neb nev
    okla ore pa tenn tex vt wash wis wyo""".split()
)
# May end a sentence, but usually don't: end one only before a typical sentence opener.
_AMBIGUOUS = frozenset("jr sr inc co corp ltd llc bros etc vs us uk un eu dc st ave blvd rd hwy".split())
# a.m. and p.m. end a sentence unless what follows still belongs to the time.
_CLOCK = frozenset(("am", "pm"))
_TIME_CONTINUES = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS) | frozenset(
    """today tomorrow tonight
    et ct mt pt est edt cst cdt mst mdt pst pdt gmt utc bst cet local eastern central pacific""".split()
)
_OPENERS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my
    but and or so yet then there here in on at for after before when while if as by
    however meanwhile still also officials police authorities""".split()
)

# A candidate end: . ! ? (or an ellipsis), optional closing quotes/brackets, then whitespace.
# (One character class, not "...|…|[.!?]": the same matches, and the scan runs twice as fast.)
_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s)""")
_NEXT = re.compile(r"""\s+["'“‘«(\[]*(?P<first>\S)""")
_WORD_PUNCTUATION = "_.'’-"  # with letters and digits (\w), what the token before a full stop holds
_FIRST_WORD = re.compile(r"\w+")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, D.C
# A quoted question or exclamation and the attribution closing it are one sentence:
# “Why now?” Sen. Tom Reyes asked.
_QUOTE_CLOSES = frozenset("\"”’'")
_ATTRIBUTION = re.compile(r"""(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|asked|asks|added|adds|replied|shouted|wrote)\b""")


def _token_before(text: str, mark_start: int) -> str:
    """The run of word characters, dots, apostrophes and hyphens ending with the full stop at
    ``mark_start``, at most 40 characters back (a window: never the whole text). A loop, as a
    regex search for the run would try every start in the window."""
    start, lowest = mark_start, max(0, mark_start - 40)
    while start > lowest and (text[start - 1].isalnum() or text[start - 1] in _WORD_PUNCTUATION):
        start -= 1
    return text[start : mark_start + 1]


def _is_boundary(text: str, end: int, mark_start: int) -> bool:
    nxt = _NEXT.match(text, end)
    if nxt is None:
        return False
    first = nxt.group("first")
    if not (first.isupper() or first.isdigit()):
        return False  # "... continued", "?” she asked"
    if text[mark_start] != ".":  # ! and ? end sentences when a capital follows (but not a
        # quote's before its attribution)
        return not (text[end - 1] in _QUOTE_CLOSES and _ATTRIBUTION.match(text, nxt.start("first")))
    token = _token_before(text, mark_start).rstrip(".")
    bare = token.replace(".", "").lower()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "John F. Kennedy"
    if bare in _TITLES and "." not in token:
        return False
    next_word = _FIRST_WORD.match(text, nxt.start("first"))  # not text[i:]: a copy per boundary
    following = next_word.group(0).lower() if next_word else ""
    if bare in _CLOCK:
        return following not in _TIME_CONTINUES
    if bare in _AMBIGUOUS or _INITIALISM.fullmatch(token):
        return following in _OPENERS
    return True


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every sentence; the spans cover all non-space text of the paragraph."""
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if _is_boundary(text, end, match.start()):
            yield start, end
            start = _NEXT.match(text, end).start("first")
            # step back over the opening quote or bracket the next sentence starts with
            while start > end and not text[start - 1].isspace():
                start -= 1
    tail = text[start:].rstrip()
    if tail:
        yield start, start + len(tail)


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def _lines_are_paragraphs(lines: list[str]) -> bool:
    """A block of several lines is one paragraph per line (wire copy, CMS exports) unless it is
    hard-wrapped prose, whose lines mostly stop mid-sentence."""
    ends = sum(line.rstrip().endswith(_PARAGRAPH_ENDS) for line in lines[:-1])
    return ends >= 0.6 * (len(lines) - 1)


MIN_WRAPPED_LINES = 3  # lines followed by another, to judge by
ROBUST_WIDTH_LINES = 10
NARROW_WRAP = 132  # up to this width (terminals, e-mail), 30% of the lines being full is wrapping
NARROW_WRAP_SHARE = 0.3
WIDE_WRAP_LINES = 8
WIDE_WRAP_SHARE = 0.75
MIN_WRAP_WIDTH = 30  # narrower "wrapping" is a list or a table column, not prose


def _blocks(body: str) -> list[list[tuple[int, int]]]:
    """(start, end) of each non-blank line, stripped, grouped into blocks between blank lines."""
    blocks: list[list[tuple[int, int]]] = [[]]
    offset = 0
    for line in body.split("\n"):
        if line.strip():
            start = offset + len(line) - len(line.lstrip())
            blocks[-1].append((start, offset + len(line.rstrip())))
        elif blocks[-1]:
            blocks.append([])
        offset += len(line) + 1
    return [block for block in blocks if block]


def _first_word(line: str) -> int:
    return len(line.split(None, 1)[0])


def _wrap_width(body: str, blocks: list[list[tuple[int, int]]]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when its lines are not wrapped.

    A wrapping program breaks a line where the next word would not fit, so in wrapped prose
    almost every line followed by another is "full": its length plus the next word exceeds the
    width. One-line-per-paragraph text has lines of any length, and few are full."""
    lines = [(start, end, block[k + 1]) for block in blocks for k, (start, end) in enumerate(block[:-1])]
    if len(lines) < MIN_WRAPPED_LINES:
        return None
    # A line of one word (a link) could not be broken, so its length says nothing of the width;
    # of the others, the third longest, robust to a stray line that overflows the width.
    longest = sorted((end - start for start, end, _ in lines if " " in body[start:end]), reverse=True)
    if not longest:
        return None
    width = longest[2] if len(longest) >= ROBUST_WIDTH_LINES else longest[0]
    if width < MIN_WRAP_WIDTH:
        return None
    pairs = [(end - start, _first_word(body[after[0] : after[1]])) for start, end, after in lines]
    full = sum(length + 1 + word > width for length, word in pairs)
    # Short paragraphs (a line or two each, as in TV stories) leave fewer full lines; lines of
    # terminal width that are often full are still wrapping. Wider "wrapping" is rare, and
    # a few long wire paragraphs can look like it: it needs more lines, nearly all full.
    if width <= NARROW_WRAP:
        return width if full >= NARROW_WRAP_SHARE * len(pairs) else None
    return width if len(pairs) >= WIDE_WRAP_LINES and full >= WIDE_WRAP_SHARE * len(pairs) else None


def _ends_paragraph(line: str, next_line: str, width: int) -> bool:
    """In wrapped text, a line ends its paragraph when the next word would have fitted on it and
    it ends a sentence (or is much shorter than the width: a heading, a sign-off)."""
    if len(line) + 1 + _first_word(next_line) > width:
        return False
    return line.endswith(_PARAGRAPH_ENDS) or len(line) < 0.6 * width


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in ``text``: blocks between blank lines. A text with no
    blank line at all has one paragraph per line; so does a block whose lines each end a
    sentence (wire copy with one stray blank line), while hard-wrapped prose, whose lines stop
    mid-sentence, stays whole. A text wrapped at a near-constant width (decided by the lengths
    of its lines) is re-flowed: its paragraphs end at lines that stop short, with or without
    blank lines between them. Each paragraph is the text as given, line breaks included."""
    blocks = _blocks(text)
    width = _wrap_width(text, blocks)
    spans: list[tuple[int, int]] = []
    for block in blocks:
        lines = [text[a:b] for a, b in block]
        if width is not None:
            first = 0
            for k in range(len(block) - 1):
                if _ends_paragraph(lines[k], lines[k + 1], width):
                    spans.append((block[first][0], block[k][1]))
                    first = k + 1
            spans.append((block[first][0], block[-1][1]))
        elif len(lines) > 1 and (len(blocks) == 1 or _lines_are_paragraphs(lines)):
            spans.extend(block)
        else:
            spans.append((block[0][0], block[-1][1]))
    return spans


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (see paragraph_spans)."""
    return [text[a:b] for a, b in paragraph_spans(text)]


@lru_cache(maxsize=16384)
def _analyse(text: str) -> tuple[str, str, tuple[Sentence, ...]]:
    # Versions of a story repeat most paragraphs: split and hash each distinct one once.
    sentences = []
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        sentences.append(Sentence(sentence, a, *_sentence_hashes(sentence)))
    return *exact_and_norm_hash(text), tuple(sentences)


@lru_cache(maxsize=32768)  # an edited paragraph keeps most of its sentences
def _sentence_hashes(sentence: str) -> tuple[str, str]:
    return exact_and_norm_hash(sentence)


def parse_paragraph(index: int, text: str, start: int = 0) -> Paragraph:
    return Paragraph(index, text, *_analyse(text), start)


def content_hash(doc: Document) -> str:
    """Hash of a document's paragraph hashes: equal when two versions say the same thing."""
    return text_hash("\n".join(p.hash for p in doc.paragraphs))


def parse_document(text: str, source: str = "<text>", hints: tuple[tuple[str, str], ...] = ()) -> Document:
    """A Document from already decoded text (line endings normalised to \\n)."""
    text = text.removeprefix("\ufeff")
    paragraphs = tuple(parse_paragraph(i, text[a:b], a) for i, (a, b) in enumerate(paragraph_spans(text)))
    return Document(source, text, text_hash(text), paragraphs, hints)


def share_breaks(old: Document, new: Document) -> tuple[Document, Document]:
    """Two versions with each one's paragraph ends applied to the other where one version could
    not show them. In wrapped text, a paragraph that ends a sentence on a full line, with no
    blank line after, reads as one with the next; when the other version has, word for word,
    the text before or after that line break as a paragraph of its own, the break is a paragraph
    end. Only line breaks after a sentence end are cut, so nothing else changes."""
    new = _cut_like(new, old)
    old = _cut_like(old, new)
    return old, new


def _cut_like(doc: Document, other: Document) -> Document:
    known = {p.hash for p in other.paragraphs}  # exact hashes: of the text, whitespace collapsed
    lengths = {len(collapse_whitespace(p.text)) for p in other.paragraphs}
    cut_any = False
    paragraphs: list[tuple[str, int]] = []  # (text, start)
    for paragraph in doc.paragraphs:
        pieces = _cuts(paragraph.text, known, lengths) if "\n" in paragraph.text else [(0, len(paragraph.text))]
        cut_any |= len(pieces) > 1
        paragraphs.extend((paragraph.text[a:b], paragraph.start + a) for a, b in pieces)
    if not cut_any:
        return doc
    parsed = tuple(parse_paragraph(i, text, start) for i, (text, start) in enumerate(paragraphs))
    return Document(doc.source, doc.text, doc.hash, parsed, doc.hints)


_TOKEN = re.compile(r"\S+")  # what str.split() keeps: \s is str.isspace() for str patterns


def _cuts(text: str, known: set[str], lengths: set[int]) -> list[tuple[int, int]]:
    """(start, end) of the pieces of a multi-line paragraph cut at the sentence-ending line
    breaks where the other version has the text before or after as a paragraph (its exact hash
    in KNOWN). Every piece tried is measured from the text's tokens before it is hashed: only
    one as long as a paragraph of the other version (LENGTHS, whitespace collapsed) can be one,
    and hashing each piece before and after every break of a hard-wrapped page made it
    quadratic (19,000 lines: 77 s)."""
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    starts = [a for a, _ in tokens]
    sizes = list(accumulate((b - a for a, b in tokens), initial=0))

    def collapsed_length(a: int, b: int) -> int:
        """len(collapse_whitespace(text[a:b])), for A and B not inside a token."""
        first, last = bisect_left(starts, a), bisect_left(starts, b)
        return sizes[last] - sizes[first] + max(last - first - 1, 0)

    def stripped_end(at: int) -> int:  # len(text[:at].rstrip()), AT not inside a token
        before = bisect_left(starts, at) - 1
        return tokens[before][1] if before >= 0 else 0

    def known_piece(a: int, b: int) -> bool:
        return collapsed_length(a, b) in lengths and exact_hash(text[a:b]) in known

    pieces, start = [], 0
    for newline in re.finditer("\n", text):
        at = newline.start()
        end = stripped_end(at)
        if not text.endswith(_PARAGRAPH_ENDS, 0, end):
            continue
        following = bisect_left(starts, at + 1)
        after = tokens[following][0] if following < len(tokens) else len(text)
        if known_piece(start, at) or known_piece(after, len(text)):
            pieces.append((start, end))
            start = after
    pieces.append((start, len(text)))
    return pieces
