"""Read article text from files or stdin, refusing what is not text with a one-line reason."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from cpsdiff.errors import InputError
from cpsdiff.web.fetch import Fetched, fetch, is_url

if TYPE_CHECKING:
    from cpsdiff.web.pages import Page

STDIN = "-"
# Zero-width spaces, soft hyphens, word joiners and stray BOMs: invisible, and they split words
# ("Light\u200bfoot"), so a reader would see an edit that is not there. Dropped on reading,
# except a soft hyphen after "Ã": that is the second byte of a double-encoded "í" ("GarcÃ\u00ada"),
# which repair needs to give "García" back.
_INVISIBLE_CHARS = ("\u200b", "\u2060", "\ufeff", "\u00ad")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]|(?<!Ã)\u00ad")


def clean_text(text: str) -> str:
    """Decoded text as every input is read: \\n line endings, invisible characters dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Substring tests first: the regex scans every character (80 times slower on clean text).
    if text.isascii() or not any(char in text for char in _INVISIBLE_CHARS):
        return text
    return _INVISIBLE.sub("", text)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    text: str
    page: Page | None = None  # when the input was an HTML page: its headline, byline, dates

    @property
    def hints(self) -> tuple[tuple[str, str], ...]:
        return self.page.hints if self.page else ()

    @property
    def meta(self) -> dict[str, str]:
        return self.page.meta() if self.page else {}

    @property
    def time(self) -> datetime | None:
        return self.page.time if self.page else None


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Text with \\n line endings; a BOM wins over ``encoding``, which defaults to UTF-8."""
    chosen = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if chosen is None:
        if encoding is None and b"\x00" in data[:8192]:  # UTF-16 without a BOM needs --encoding
            raise InputError(f"{name}: binary data (NUL bytes), not article text")
        chosen = encoding or "utf-8"
    try:
        text = data.decode(chosen)
    except LookupError:
        raise InputError(f"unknown encoding: {encoding}") from None
    except UnicodeDecodeError as error:
        hint = "the file is damaged" if chosen in ("utf-16", "utf-32") else "name the encoding with --encoding, e.g. --encoding cp1252"
        raise InputError(
            f"{name}: not valid {chosen.upper()} (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); {hint}"
        ) from None
    except UnicodeError as error:  # a codec that refuses every input ('undefined')
        raise InputError(f"{name}: cannot be decoded as {chosen} ({error})") from None
    text = clean_text(text)
    if not text.strip():
        raise InputError(f"{name}: empty input, no text to compare")
    return text


def read_bytes(path: str, read_stdin: Callable[[], bytes]) -> bytes:
    if path == STDIN:
        return read_stdin()
    try:
        with open_file(path) as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def open_file(path: str) -> BinaryIO:
    """A file opened for reading, or the one-line reason it cannot be."""
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, not a file")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, if any."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


# Charset labels as browsers read them (WHATWG Encoding): pages that say Latin-1 or ASCII are
# written in Windows-1252 (curly quotes at 0x93/0x94), and a page cannot really be UTF-16.
_WEB_CHARSETS = {label: "cp1252" for label in ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii")}
_WEB_CHARSETS.update({label: "utf-8" for label in ("utf-16", "utf-16le", "utf-16be")})


def _web_charset(label: str | None) -> str | None:
    """The codec for a charset a page or server gives; an unknown label is no hint (browsers
    fall back to their default too), unlike an unknown --encoding."""
    if not label:
        return None
    label = _WEB_CHARSETS.get(label.strip().lower(), label)
    try:
        b"  ".decode(label)  # a codec that decodes bytes to text, not rot13 or base64 (b"" is not looked up)
    except UnicodeDecodeError:  # a text encoding these two bytes do not fit (UTF-32)
        pass
    except (LookupError, UnicodeError):  # no such codec, or one that decodes nothing ('undefined')
        return None
    return label


_HTML_START = re.compile(
    r"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|meta)\b", re.IGNORECASE | re.DOTALL
)
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def looks_like_html(name: str, data: bytes) -> bool:
    """Named like a page, or starting like one."""
    return name.lower().endswith(_HTML_SUFFIXES) or bool(_HTML_START.match(data[:2048].decode("latin-1")))


def read_source(path: str, read_stdin: Callable[[], bytes], encoding: str | None = None, article: bool = True) -> Source:
    """A text file, an HTML page (saved, or fetched from an http(s) URL) or stdin, as text.
    ``article=False`` takes a URL whatever it is served as (a JSON Lines corpus)."""
    if is_url(path):
        fetched = fetch(path)
        return source_from_fetched(fetched.article(path) if article else fetched, path, encoding)
    return source_from_bytes(read_bytes(path, read_stdin), "<stdin>" if path == STDIN else path, encoding)


def source_from_fetched(fetched: Fetched, name: str, encoding: str | None = None) -> Source:
    return source_from_bytes(fetched.data, name, encoding, fetched.is_html, fetched.charset)


def source_from_bytes(data: bytes, name: str, encoding: str | None = None, html: bool = False,
                      served_charset: str | None = None) -> Source:
    """Decoded text; an HTML page (served as one, named or shaped like one) becomes its article.
    The charset a page declares counts only for a page: text that quotes a <meta> tag is text."""
    html = html or looks_like_html(name, data)
    text = decode(data, name, encoding or _web_charset(served_charset or (_declared_charset(data) if html else None)))
    if html:
        from cpsdiff.web.pages import extract

        page = extract(text, name)
        return Source(name, page.text, page)
    return Source(name, text)
