"""Article pages: saved HTML in, article text out (headline, byline, body paragraphs, dates).

The body comes from trafilatura (the `html` extra, imported only when a page is read). The page's
markup is kept as boilerplate evidence: a paragraph that is mostly link text, or that sits in a
block the site marks as related links, teasers or promotions, is labelled with that reason unless
the text rules decide first. Dates come from the page's own metadata, to the second when it gives
one (Open Graph, JSON-LD, <time>), else trafilatura's day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from cpsdiff.errors import CpsdiffError, InputError
from cpsdiff.text.normalize import collapse_whitespace
from cpsdiff.text.runs import word_runs

LINK_DENSE = 0.6  # share of a paragraph's words that are link text
BYLINE_WORDS = 14  # a longer "author" block is a biography, not a byline
BYLINE_REASON = "byline: the page's author line"
_WORD = re.compile(r"\w+")
# Words in a class or id (split at spaces, "-" and "_") that mark a block of chrome, and pairs.
_MARK_WORDS = frozenset(
    "related teaser teasers promo promos recommended recommendations trending newsletter signup subscribe "
    "share sharing social outbrain taboola sponsored readmore mostread".split()
)
_MARK_PAIRS = frozenset({("read", "more"), ("more", "news"), ("more", "stories"), ("most", "read"),
                         ("most", "popular"), ("sign", "up")})
_OUTER = frozenset({"html", "body", "main", "article"})  # their classes describe the whole page
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PUBLISHED = ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date", "dcterms.created", "parsely-pub-date", "sailthru.date")
_UPDATED = ("article:modified_time", "datemodified", "og:updated_time", "last-modified", "dcterms.modified", "lastmod")


@dataclass(frozen=True, slots=True)
class Page:
    title: str | None
    byline: str | None
    published: datetime | None
    updated: datetime | None
    paragraphs: tuple[str, ...]  # headline first, then the byline, then the body
    hints: tuple[tuple[str, str], ...]  # (paragraph text, why its markup says boilerplate)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def time(self) -> datetime | None:
        return self.updated or self.published

    def meta(self) -> dict[str, str]:
        found = {"title": self.title, "byline": self.byline,
                 "published": self.published and self.published.isoformat(),
                 "updated": self.updated and self.updated.isoformat()}
        return {k: v for k, v in found.items() if v}


def _modules():
    try:
        import lxml.html
        import trafilatura
    except ImportError:
        raise CpsdiffError("reading HTML pages needs the html extra: pip install 'cpsdiff[html]'") from None
    return trafilatura, lxml.html


def extract(html: str, name: str) -> Page:
    """The article in a saved page; InputError when the page holds no article text."""
    trafilatura, lxml_html = _modules()
    from lxml import etree

    html = _XML_DECLARATION.sub("", html, count=1)  # XHTML: lxml refuses a str that declares its encoding

    def parse():
        try:
            return lxml_html.document_fromstring(html)
        except (ValueError, etree.ParserError):
            raise InputError(f"{name}: not an HTML page with text") from None

    tree = parse()
    marked, (published, updated), author = _marked_blocks(tree), _dates(tree), _author(tree)
    xml = None
    # trafilatura gives up on the whole page when its own metadata parsing fails (a time zone of
    # +25:00): then the body alone, without its title and author.
    for with_metadata in (True, False):
        tree = tree if with_metadata else parse()
        _text_blocks_as_paragraphs(tree)
        xml = trafilatura.extract(
            tree, output_format="xml", include_comments=False, deduplicate=False, with_metadata=with_metadata,
            include_links=True, include_tables=True, favor_recall=True,
        )
        if xml:
            break
    if not xml:
        raise InputError(f"{name}: no article text found in the page")
    doc = etree.fromstring(xml.encode("utf-8"))
    body, hints = _body(doc, marked)
    title = collapse_whitespace(doc.get("title") or "") or None
    # trafilatura cuts bylines down ("CBS 2 Chicago Staff" became "CBS"): the page's own first
    byline = author or collapse_whitespace(doc.get("author") or "") or None
    if not body:
        raise InputError(f"{name}: no article text found in the page")
    if published is None and doc.get("date"):
        published = _when(doc.get("date"))
    repeat = next((i for i, p in enumerate(body[:3]) if title and collapse_whitespace(p).lower() == title.lower()), None)
    if repeat is not None:
        del body[repeat]  # the headline, as one of the page's first blocks
    head = [title] if title else []
    if byline:
        written = next((p for p in body[:3] if _names(collapse_whitespace(p.split("\n")[0]), byline)), None)
        if written is None:
            written = byline if byline.lower().startswith("by ") else f"By {byline}"
            head.append(written)
        hints.setdefault(collapse_whitespace(written), BYLINE_REASON)
    return Page(title, byline, published, updated, tuple(head + body), tuple(hints.items()))


def _author_names(value: object) -> list[str]:
    """Names in a JSON-LD author: a string, a Person or Organization, or a list of them."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _author_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _author_names(item)]
    return []


def _plausible(name: str | None) -> str | None:
    """A byline as a reader sees it, or None for what is not one (a URL, a biography)."""
    name = collapse_whitespace(name or "")
    if not name or "://" in name or name.startswith("@") or len(name.split()) > BYLINE_WORDS:
        return None
    return name


def _author(tree) -> str | None:
    """The page's author line, whole: <meta name="author">, else the JSON-LD author's names,
    else the text of an element whose class is "byline" or that says rel/itemprop="author",
    without its "By"."""
    for meta in tree.iter("meta"):
        if (meta.get("name") or "").lower() == "author" and (name := _plausible(meta.get("content"))):
            return name
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            for item in _json_ld(script.text_content()):
                names = [n for n in map(_plausible, _author_names(item.get("author"))) if n]
                if names:
                    return " and ".join(dict.fromkeys(names))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        classes = (element.get("class") or "").lower().split()
        if "byline" in classes or (element.get("rel") or "").lower() == "author" or (element.get("itemprop") or "").lower() == "author":
            text = _plausible(element.text_content())
            if text:
                return re.sub(r"(?i)^by\s+", "", text) or None
    return None


def _spoken_words(text: str) -> str:
    """Lower-case words between spaces, so that containment matches whole words only."""
    return f" {' '.join(_WORD.findall(text.lower()))} "


def _names(line: str, byline: str) -> bool:
    """Whether a line is the byline ("By Jane Doe", "Jane Doe, Staff Writer"), not merely
    mentions the name ("(Reporting by Jane Doe)" at the end of a wire story)."""
    line, name = line.lower(), byline.lower().removeprefix("by ")
    return line.removeprefix("by ").startswith(name)


def _body(doc, marked: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Paragraphs in reading order: one per block element; a <br> stays a line break, which the
    segmenter turns into a paragraph break when the lines read as paragraphs."""
    paragraphs: list[str] = []
    hints: dict[str, str] = {}
    quotes: list[str] = []
    main = doc.find("main")
    for element in (main if main is not None else doc).iter("p", "head", "item", "quote", "cell"):
        if any(child.tag in ("p", "item", "list", "quote") for child in element):
            continue  # a container: its children are the paragraphs
        lines = _lines(element)
        text = "\n".join(line for line in (collapse_whitespace(x) for x in lines) if line)
        if not text:
            continue
        paragraphs.append(text)
        key = collapse_whitespace(text)
        words = len(_WORD.findall(key))  # "World | Business | UK": the bars are not words
        linked = sum(len(_WORD.findall(" ".join(ref.itertext()))) for ref in element.iter("ref"))
        if element.tag == "quote" or any(a.tag == "quote" for a in element.iterancestors()):
            quotes.append(key)
        if key in marked:
            hints[key] = marked[key]
        elif element.tag != "head" and words and linked / words >= LINK_DENSE:  # a linked headline is still one
            hints[key] = f"link-dense: {round(100 * linked / words)}% of its words are link text"
    if quotes:  # a pull quote repeats the body's words in a box
        repeats = RepeatedWords(list(map(collapse_whitespace, paragraphs)))
        for quote in quotes:
            if quote not in hints and repeats.elsewhere(quote):
                hints[quote] = "pull quote: repeats words of the story"
    return paragraphs, hints


class RepeatedWords:
    """Whether a quote's words, whole and in order, stand in another paragraph of the page. A
    substring test of every quote against every paragraph takes quotes × paragraphs × length (a
    live blog of 4,000 embedded posts: 15 s), so the paragraphs are indexed by the runs of
    QUOTED_WORDS words they hold: a paragraph holding the quote holds every run of it, and only
    the paragraphs holding its rarest run are tested."""

    QUOTED_WORDS = 4  # fewer words repeated ("the council said") are not a pull quote

    def __init__(self, paragraphs: list[str]) -> None:
        """``paragraphs``: their text with whitespace collapsed, as the quotes are."""
        self.spoken = [(text, _spoken_words(text)) for text in paragraphs]
        self.holders: dict[tuple[str, ...], list[int]] = {}
        for i, (_, words) in enumerate(self.spoken):
            for run in set(word_runs(words.split(), self.QUOTED_WORDS)):
                self.holders.setdefault(run, []).append(i)

    def elsewhere(self, quote: str) -> bool:
        """Whether a paragraph other than the quote's own text repeats its words (at least
        QUOTED_WORDS of them); the same decision as a substring test against every paragraph."""
        words = _spoken_words(quote)
        runs = list(word_runs(words.split(), self.QUOTED_WORDS))
        if not runs:
            return False
        rarest = min(runs, key=lambda run: len(self.holders.get(run, ())))
        return any(
            text != quote and words in spoken for text, spoken in (self.spoken[i] for i in self.holders.get(rarest, ()))
        )


_BLOCKS = frozenset("p div section article aside main header footer nav ul ol li table figure blockquote h1 h2 h3 h4 h5 h6 pre form".split())


def _text_blocks_as_paragraphs(tree) -> None:
    """Text sitting directly in a <div> or <section> is a paragraph, as a reader sees it; the
    extractor would run neighbouring blocks together without a break."""
    for element in tree.iter("div", "section"):
        own_text = (element.text or "").strip() or any((child.tail or "").strip() for child in element)
        if own_text and not any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in element.iterdescendants()):
            element.tag = "p"


def _lines(element) -> list[str]:
    lines, current = [], [element.text or ""]
    for child in element:
        if child.tag == "lb":
            lines.append("".join(current))
            current = []
        else:
            current.append("".join(child.itertext()))
        current.append(child.tail or "")
    lines.append("".join(current))
    return lines


def _chrome_mark(element) -> str | None:
    """The word of an element's class or id that marks it as chrome ("related", "read-more")."""
    words = [w for w in re.split(r"[\s_-]+", f"{element.get('class') or ''} {element.get('id') or ''}".lower()) if w]
    found = next((w for w in words if w in _MARK_WORDS), None)
    return found or next((f"{a}-{b}" for a, b in zip(words, words[1:]) if (a, b) in _MARK_PAIRS), None)


def _marked_blocks(tree) -> dict[str, str]:
    """Texts inside elements whose class or id says related links, teasers, promotions. Outer
    elements, and any holding most of the page's text, say nothing about one block."""
    marked: dict[str, str] = {}
    total = len(collapse_whitespace(tree.text_content())) or 1
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _OUTER:
            continue
        word = _chrome_mark(element)
        if word is None or len(collapse_whitespace(element.text_content())) > total / 3:
            continue
        mark = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
        reason = f"markup: in a {element.tag} marked “{word}” ({mark[:60]})"
        for leaf in element.iter("p", "li", "a", "h2", "h3", "h4", "div", "span"):
            text = collapse_whitespace(leaf.text_content())
            if text and len(text) < 400:
                marked.setdefault(text, reason)
    return marked


def _when(value: object) -> datetime | None:
    """An ISO 8601 instant or day; a day or a time without zone is taken as UTC. Anything else
    ("0000-00-00", "2021-02-30", a list in JSON-LD) is no date: pages get these wrong often."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().replace("Z", "+00:00")
    for candidate in (value, value[:10]):
        try:
            moment = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


def _dates(tree) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from meta tags, JSON-LD and <time>: the first of each found."""
    found: dict[str, datetime] = {}

    def note(kind: str, value: str | None) -> None:
        if kind not in found and (moment := _when(value)):
            found[kind] = moment

    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED:
            note("published", meta.get("content"))
        elif key in _UPDATED:
            note("updated", meta.get("content"))
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json":
            for item in _json_ld(script.text_content()):
                note("published", item.get("datePublished"))
                note("updated", item.get("dateModified"))
    for time in tree.iter("time"):
        kind = "updated" if re.search(r"updat|modif", f"{time.get('class')} {time.get('itemprop')}", re.I) else "published"
        note(kind, time.get("datetime"))
    return found.get("published"), found.get("updated")


def _json_ld(source: str) -> list[dict]:
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):  # broken, or nested past the parser's depth: no dates
        return []
    items = data if isinstance(data, list) else [data]
    graphs = [item.get("@graph") for item in items if isinstance(item, dict)]
    graph = [g for found in graphs if isinstance(found, list) for g in found if isinstance(g, dict)]
    return [item for item in items + graph if isinstance(item, dict)]
