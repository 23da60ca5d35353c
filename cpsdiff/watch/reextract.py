"""Extract the article from every archived raw page again, with the extractor and rules of this
release: a better extractor re-reads history instead of only what it fetches from now on.

Each version that `track` stored with its raw page is extracted again; when its text or its
boilerplate reasons come out different, the version is rewritten in place (same story, number
and time; the raw page is the source, the old text a reading of it), and the `changes` records
of its story are computed again. Versions without a raw page (ingested from files, or stored
before raw pages were kept) are left as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from cpsdiff.diff.boilerplate import Rule
from cpsdiff.diff.comparison import compare
from cpsdiff.errors import CpsdiffError
from cpsdiff.inputs.loading import source_from_fetched
from cpsdiff.store.analysis import analyse
from cpsdiff.store.records import StoredVersion
from cpsdiff.store.versions import Store
from cpsdiff.text.segment import parse_document


@dataclass(frozen=True, slots=True)
class Reextracted:
    url: str
    version: int | str | None
    status: str  # changed | unchanged | error
    paragraphs_before: int = 0
    paragraphs_after: int = 0
    error: str | None = None


def reextract(store: Store, rules: Sequence[Rule]) -> Iterator[Reextracted]:
    """Every archived version, extracted again, in store order; then the change records of the
    stories that changed are brought up to date."""
    from cpsdiff.store.pages import archived

    touched: dict[str, None] = {}  # stories in store order, each once
    for item in archived(store):
        stored = store.get(item.version_id)
        if stored is None:
            continue
        outcome = _again(store, stored, item.fetched, rules)
        if outcome.status == "changed":
            touched.setdefault(stored.story)
        yield outcome
    for story in touched:
        _recount_changes(store, story, rules)


def _again(store: Store, stored: StoredVersion, fetched, rules: Sequence[Rule]) -> Reextracted:
    url = stored.story or stored.source
    try:
        source = source_from_fetched(fetched.article(url), url)
        extra = {**stored.extra, **source.meta}
        version = replace(stored.as_version(source.text), extra=extra, hints=source.hints)
        analysed = analyse(version, rules)
        before = store.version_of(stored)
        reasons_before = _reasons(store, stored)
        reasons_after = [reason for *_, reason in analysed.paragraphs]
        if before.text == version.text and reasons_before == reasons_after and json.loads(analysed.extra) == stored.extra:
            return Reextracted(url, stored.number, "unchanged", stored.paragraphs, stored.paragraphs)
        with store.write_lock():
            store.rewrite(stored, analysed)
        return Reextracted(url, stored.number, "changed", stored.paragraphs, len(analysed.paragraphs))
    except CpsdiffError as error:
        return Reextracted(url, stored.number, "error", stored.paragraphs, error=str(error))


def _reasons(store: Store, stored: StoredVersion) -> list[str | None]:
    with store.guard():
        rows = store.db.execute("SELECT boilerplate FROM paragraphs WHERE version_id = ? ORDER BY idx", (stored.rowid,))
        return [reason for (reason,) in rows]


def _recount_changes(store: Store, story: str, rules: Sequence[Rule]) -> None:
    """The counts of every change record of ``story``, from its versions as they now read."""
    from cpsdiff.store.pages import record_change

    with store.guard():
        pairs = store.db.execute("SELECT from_id, to_id, time FROM changes WHERE story = ? ORDER BY to_id", (story,)).fetchall()
    for from_id, to_id, time in pairs:
        before, after = store.get(from_id), store.get(to_id)
        if before is None or after is None:
            continue
        old, new = store.version_of(before), store.version_of(after)
        result = compare(parse_document(old.text, old.id, old.hints), parse_document(new.text, new.id, new.hints), rules)
        with store.write_lock():
            record_change(store, story, from_id, to_id, time, result.summary)
