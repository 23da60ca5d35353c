"""Lineage over a store, streamed: families come out of SQLite in batches, built in the
engine's workers, so memory is bounded by the batches in flight and the largest family, not by
the corpus.

Exact families join on the normalised hash; near duplicates come from the sketch table (the
same bottom-k MinHash keys and the same verification as in memory), merged with union-find.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from cpsdiff.diff.boilerplate import default_rules
from cpsdiff.errors import InputError
from cpsdiff.lineage.chronology import OrderMode, check_text_order, order_by_time
from cpsdiff.lineage.families import MAX_POSTING, UnionFind, candidates_from_postings, near_duplicate, trivial, trivial_text
from cpsdiff.lineage.rewrites import Source, Stated, Update, rewrites, story_predecessors
from cpsdiff.lineage.family_work import FamilyWork, VersionName, family_itself
from cpsdiff.lineage.results import Family, Lineage, LineageRun, VersionInfo, extra_with_version
from cpsdiff.lineage.trace import COUNTS, Occurrence, build_family, lineage, name_stories, shared_families
from cpsdiff.store.connect import damaged
from cpsdiff.store.analysis import analyse
from cpsdiff.store.records import StoredVersion
from cpsdiff.store.versions import Store, rows_in
from cpsdiff.text.normalize import normalized_words

Progress = Callable[[int, int | None], None]  # (families done, total if known)


def _silent(done: int, total: int | None) -> None:
    pass


def candidate_pairs(store: Store) -> set[tuple[str, str]]:
    postings = store.db.execute(
        "SELECT group_concat(norm_hash, ' ') FROM sketches GROUP BY key HAVING count(*) BETWEEN 2 AND ?",
        (MAX_POSTING,),
    )
    return candidates_from_postings(row[0].split(" ") for row in postings)


def verify_pairs(pairs: list[tuple[str, str]], texts: dict[str, str]) -> list[tuple[str, str]]:
    """The candidate pairs that are near duplicates (a pure function: any engine may run it). A
    trivial sentence ("1 2 3 … 12.") has sketches but, as in memory, no relatives."""
    words = {norm: normalized_words(text) for norm, text in texts.items()}  # once each, not once a pair
    alone = {norm: trivial(sentence) for norm, sentence in words.items()}
    return [(a, b) for a, b in pairs if not alone[a] and not alone[b] and near_duplicate(words[a], words[b])]


SCAN_SHARE = 0.4  # of the distinct sentences: needing more, one scan reads their texts faster


def sentence_texts(store: Store, needed: list[str]) -> dict[str, str]:
    """The texts of these distinct sentences (norm hashes). Looking each up costs about 2.5
    times what reading a row in a scan of the table does (at 100,000 versions, 714,000 of
    991,000: 2.7 s against 1.5 s), so past SCAN_SHARE of them the table is scanned."""
    stored = store.db.execute("SELECT coalesce(max(id), 0) FROM distinct_sentences").fetchone()[0]  # none is deleted
    if len(needed) < SCAN_SHARE * stored:
        return dict(rows_in(store.db, "SELECT norm_hash, text FROM distinct_sentences WHERE norm_hash IN ({})", needed))
    wanted = set(needed)
    return {norm: text for norm, text in store.db.execute("SELECT norm_hash, text FROM distinct_sentences") if norm in wanted}


def family_roots(store: Store, verify=verify_pairs) -> dict[str, str]:
    """Each distinct sentence's family, as the norm hash of one member (non-singletons only)."""
    pairs = sorted(candidate_pairs(store))  # in order, a batch's pairs share sentences (a quarter fewer texts to send)
    needed = sorted({h for pair in pairs for h in pair})
    texts = sentence_texts(store, needed)
    if len(texts) < len(needed):  # sketches name a sentence the store does not hold
        missing = next(h for h in needed if h not in texts)
        raise damaged(store.path, f"the sentence {missing} is missing")
    finder: UnionFind[str] = UnionFind()
    for a, b in verify(pairs, texts):
        finder.union(a, b)
    return finder.roots()


# A sentence's family: its near-duplicate root, else its text; a trivial sentence ("1.") forms no
# family, so it is keyed by its place (as families.group leaves it alone in memory).
_FAMILY = (
    "CASE WHEN l.norm_hash IS NULL THEN coalesce(f.root, s.norm_hash)"
    " ELSE s.norm_hash || '@' || s.version_id || '.' || s.paragraph || '.' || s.idx END"
)
_FAMILY_JOINS = " LEFT JOIN fam f ON f.norm_hash = s.norm_hash LEFT JOIN lone l ON l.norm_hash = s.norm_hash"


def _place(position: str) -> str:
    """A sentence's place in the chronology, as one integer, given its version's position."""
    return f"({position} << 32) + (s.paragraph << 16) + s.idx"


def _drop_temp(db, *tables: str) -> None:
    """Drop these temp tables where they exist: left by an earlier run on this connection, or
    done with."""
    for table in tables:
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _first_places(db) -> None:
    """temp.text_firsts: the place of each text's family's first sentence, for every text but
    the trivial ones (each its own family: its first is its own place). Each text's own first
    comes from the sentences in the order of the store's norm index, with no sort of them all;
    a family's is the least of its texts' (a GROUP BY, not a window function: SQLite before 3.25
    has none). The family query then looks up one table per sentence, not three (at 10,000
    versions 0.8 s, not 1.85)."""
    _drop_temp(db, "own_firsts", "family_firsts", "text_firsts")
    db.execute(
        f"CREATE TEMP TABLE own_firsts AS SELECT s.norm_hash, min({_place('p.position')}) AS first"
        " FROM sentences s CROSS JOIN pos p ON p.version_id = s.version_id GROUP BY s.norm_hash"
    )
    family = "coalesce(f.root, o.norm_hash)"
    db.execute(
        f"CREATE TEMP TABLE family_firsts AS SELECT {family} AS family, min(o.first) AS first"
        " FROM own_firsts o LEFT JOIN fam f ON f.norm_hash = o.norm_hash GROUP BY family"
    )
    db.execute("CREATE INDEX temp.family_firsts_family ON family_firsts (family)")
    db.execute("CREATE TEMP TABLE text_firsts (norm_hash TEXT PRIMARY KEY, first INTEGER NOT NULL) WITHOUT ROWID")
    db.execute(
        "INSERT INTO text_firsts SELECT o.norm_hash, ff.first FROM own_firsts o"
        f" LEFT JOIN fam f ON f.norm_hash = o.norm_hash JOIN family_firsts ff ON ff.family = {family}"
        " WHERE o.norm_hash NOT IN (SELECT norm_hash FROM lone)"
    )
    _drop_temp(db, "own_firsts", "family_firsts")  # only text_firsts is needed


_SHORT = 80  # characters: no longer sentence is trivial (families.trivial) in practice


def _mark_trivial(store: Store) -> None:
    """temp.lone: the norm hashes of trivial sentences."""
    db = store.db
    _drop_temp(db, "lone")
    db.execute("CREATE TEMP TABLE lone (norm_hash TEXT PRIMARY KEY) WITHOUT ROWID")
    short = db.execute("SELECT norm_hash, text FROM distinct_sentences WHERE length(text) <= ?", (_SHORT,))
    db.executemany("INSERT INTO lone VALUES (?)", ((norm,) for norm, text in short if trivial_text(text)))


def _stories(store: Store, stored: list[StoredVersion]) -> dict[int, str]:
    """Stories as given; versions without one are grouped by the reporting text they share."""
    if all(v.story for v in stored):
        return {v.rowid: v.story for v in stored}
    rows = store.db.execute(
        f"SELECT {_FAMILY} AS family, s.version_id, count(*) FROM sentences s"
        " JOIN paragraphs p ON p.version_id = s.version_id AND p.idx = s.paragraph"
        f"{_FAMILY_JOINS}"
        " WHERE p.boilerplate IS NULL GROUP BY family, s.version_id ORDER BY family, s.version_id"
    )
    reporting: Counter[int] = Counter()
    groups: list[list[int]] = []
    current = None
    for family, version, sentences in rows:
        reporting[version] += sentences
        if family != current:
            groups.append([])
            current = family
        groups[-1].append(version)
    return name_stories({v.rowid: v.story for v in stored}, reporting, shared_families(groups))


def _order(stored: list[StoredVersion], mode: OrderMode) -> tuple[list[StoredVersion], str] | None:
    """Versions in chronological order and the method, or None when the text must decide."""
    decided = order_by_time([v.epoch for v in stored], [v.source for v in stored], mode)
    return None if decided is None else ([stored[i] for i in decided[0]], decided[1])


def store_lineage(store: Store, mode: OrderMode = OrderMode.AUTO, progress: Progress = _silent, engine=None) -> LineageRun:
    """The lineage of everything in the store. ENGINE (store.engines), if given, verifies
    near-duplicate candidates and builds families in its workers; else this process does."""
    with store.guard():
        return _store_lineage(store, mode, progress, engine)


def _store_lineage(store: Store, mode: OrderMode, progress: Progress, engine) -> LineageRun:
    stored = store.versions()
    if not stored:
        raise InputError(f"{store.path}: the database holds no versions (run cpsdiff ingest first)")
    ordered = _order(stored, mode)
    if ordered is None:
        # a store's lineage streams; ordered by their text, its versions are read whole instead
        check_text_order([v.epoch for v in stored], "use --order given (ingest order) or ingest records with 'published' times",
                         read_whole=True)
        versions = [store.version_of(v) for v in stored]
        return lineage(versions, mode).run()
    chronology, method = ordered

    progress(0, None)
    roots = family_roots(store, verify_pairs if engine is None else partial(parallel_verify, engine))
    db = store.db
    _drop_temp(db, "fam", "pos")
    db.execute("CREATE TEMP TABLE fam (norm_hash TEXT PRIMARY KEY, root TEXT NOT NULL) WITHOUT ROWID")
    db.executemany("INSERT INTO fam VALUES (?, ?)", roots.items())
    _mark_trivial(store)
    stories = _stories(store, stored)
    db.execute("CREATE TEMP TABLE pos (version_id INTEGER PRIMARY KEY, position INTEGER, story TEXT)")
    db.executemany(
        "INSERT INTO pos VALUES (?, ?, ?)", [(v.rowid, i, stories[v.rowid]) for i, v in enumerate(chronology)]
    )
    _first_places(db)

    rewritten = rewrites(_updates(store, chronology, stories, roots))
    infos = tuple(
        VersionInfo(
            v.source,
            stories[v.rowid],
            i,
            f"timestamp {v.time}" if method == "timestamps" else "ingest order",
            v.time,
            v.paragraphs,
            {},
            extra_with_version(v.extra, v.number),
            v.text_hash,
            v.content,
        )
        for i, v in enumerate(chronology)
    )
    each = partial(_families, store, engine.map if engine else map, infos, progress, rewritten)
    return LineageRun(method, infos, each(family_itself), each)


# What an update dropped lies in the paragraphs of the version before that it no longer has,
# and its first appearances in the paragraphs it changed (a paragraph the version before also
# has holds nothing new). Updates are read in the order the store holds them: chronological
# order would jump about it.
_DROPPED_BY_UPDATES = (
    "SELECT pr.version_id, s.paragraph, s.idx, s.start, s.length, b.text_hash, s.norm_hash"
    " FROM prev pr CROSS JOIN paragraphs b ON b.version_id = pr.before_id"  # CROSS: in this order
    " CROSS JOIN sentences s ON s.version_id = b.version_id AND s.paragraph = b.idx"
    " WHERE b.boilerplate IS NULL"
    " AND NOT EXISTS (SELECT 1 FROM paragraphs pp WHERE pp.version_id = pr.version_id AND pp.text_hash = b.text_hash)"
    " ORDER BY pr.version_id, s.paragraph, s.idx"
)
_HELD = (  # each update's sentences (norm hashes), in the order of _DROPPED_BY_UPDATES: one scan
    "SELECT pr.version_id, group_concat(s.norm_hash, ' ')"
    " FROM prev pr CROSS JOIN sentences s ON s.version_id = pr.version_id"
    " GROUP BY pr.version_id ORDER BY pr.version_id"
)
_FIRSTS_OF_UPDATES = (  # of the updates in temp.losing only: those that dropped something
    "SELECT pr.version_id, s.paragraph, s.idx, s.start, s.length, pp.text_hash"
    " FROM losing l CROSS JOIN prev pr ON pr.version_id = l.version_id"
    " CROSS JOIN paragraphs pp ON pp.version_id = pr.version_id"
    " CROSS JOIN sentences s ON s.version_id = pp.version_id AND s.paragraph = pp.idx"
    " LEFT JOIN text_firsts tf ON tf.norm_hash = s.norm_hash"
    " WHERE pp.boilerplate IS NULL"
    f" AND coalesce(tf.first, {_place('pr.position')}) = {_place('pr.position')}"  # its family's first
    " AND NOT EXISTS (SELECT 1 FROM paragraphs b WHERE b.version_id = pr.before_id AND b.text_hash = pp.text_hash)"
    " ORDER BY pr.version_id, s.paragraph, s.idx"
)


def _updates(store: Store, chronology: list[StoredVersion], stories: dict[int, str], roots: dict[str, str]) -> Iterator[Update]:
    """Each update's first appearances and dropped sentences (lineage.rewrites), read with SQL
    from the paragraphs it changed, as the walk in memory finds them from every sentence. An
    update that dropped nothing (most keep or reword their text) can rewrite nothing: its first
    appearances are not read."""
    db = store.db
    befores = story_predecessors(stories[version.rowid] for version in chronology)
    pairs = [(version.rowid, position, chronology[before].rowid, before)
             for position, (version, before) in enumerate(zip(chronology, befores)) if before is not None]
    _drop_temp(db, "prev", "losing")
    db.execute("CREATE TEMP TABLE prev (version_id INTEGER PRIMARY KEY, position INTEGER, before_id INTEGER, before INTEGER)")
    db.executemany("INSERT INTO prev VALUES (?, ?, ?, ?)", pairs)
    places = {version_id: (position, before) for version_id, position, _, before in pairs}
    text = lru_cache(maxsize=4096)(store.text)
    related = roots.keys()  # sentences whose family is named after another

    def stated(rows) -> list[Stated]:
        return [Stated(paragraph, idx, text(text_hash)[start : start + length], False)
                for _, paragraph, idx, start, length, text_hash, *_ in rows]

    lost: dict[int, list[Stated]] = {}
    held_rows = db.execute(_HELD)  # read alongside: both in version order
    held_row = next(held_rows, None)
    for version_id, dropped in groupby(db.execute(_DROPPED_BY_UPDATES), key=itemgetter(0)):
        while held_row is not None and held_row[0] < version_id:
            held_row = next(held_rows, None)
        hashes = held_row[1] if held_row is not None and held_row[0] == version_id else None  # None: no sentences
        held = set(hashes.split(" ")) if hashes else set()  # with the roots below: all its families
        held.update([roots[norm] for norm in held & related])
        gone = [row for row in dropped if roots.get(row[6], row[6]) not in held]
        if gone:
            lost[version_id] = stated(gone)
    held_rows.close()  # it may stop short of the last updates (they dropped nothing): end it here
    db.execute("CREATE TEMP TABLE losing (version_id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO losing VALUES (?)", ((version_id,) for version_id in lost))
    for version_id, firsts in groupby(db.execute(_FIRSTS_OF_UPDATES), key=itemgetter(0)):
        position, before = places[version_id]
        yield Update(position, before, stated(firsts), lost[version_id])


BATCH_SENTENCES = 10000  # a batch of families to build: enough work to be worth sending


def _families(store: Store, engine_map, infos, progress: Progress, rewritten, work: FamilyWork) -> Iterator:
    """WORK's result for each family, built in batches by ENGINE_MAP (in order); the versions'
    counts are complete once the last has come (each pass counts afresh)."""
    counts = [Counter() for _ in infos]
    with store.guard():  # the rows are read while the families are written out
        for results, tallies in engine_map(partial(_build_batch, work), _batches(store, infos, progress, rewritten)):
            for position, tally in tallies:
                counts[position].update(tally)
            yield from results
    for info, tally in zip(infos, counts):
        info.counts.clear()
        info.counts.update({k: tally[k] for k in COUNTS})


class _Batch(NamedTuple):
    """Families to build in a worker, and what building them needs: plain data, which pickles
    fast (Occurrences and families are made there)."""

    families: list[list[tuple]]  # each family's rows, as _batches' query gives them
    texts: dict[str, str]  # paragraph texts by hash
    rewritten: dict[tuple[int, int, int], Source]  # for these families' firsts
    versions: dict[int, tuple[str, str]]  # position -> (id, story), for those they appear in


def _batches(store: Store, infos, progress: Progress, rewritten) -> Iterator[_Batch]:
    # Only keys go through the sort; paragraph texts are read afterwards, a batch at a time.
    rows = store.db.execute(
        f"SELECT coalesce(tf.first, {_place('p.position')}) AS first, p.position, s.paragraph, s.idx, s.start, s.length, s.norm_hash,"
        "       pp.text_hash, pp.boilerplate IS NOT NULL, pq.text_hash"  # (the story: from the batch's versions)
        # Versions one after another (CROSS JOIN keeps that order): SQLite would scan the
        # sentences by their norm index and reach the other tables at random (at 10,000
        # versions 15% slower; sentences joined to paragraphs alone, 2.7x).
        " FROM pos p CROSS JOIN sentences s ON s.version_id = p.version_id"
        " CROSS JOIN paragraphs pp ON pp.version_id = s.version_id AND pp.idx = s.paragraph"
        " LEFT JOIN text_firsts tf ON tf.norm_hash = s.norm_hash"
        " LEFT JOIN paragraphs pq ON pq.version_id = s.version_id AND pq.idx = s.paragraph - 1"
        " ORDER BY first, p.position, s.paragraph, s.idx"
    )
    names = [(info.id, info.story) for info in infos]
    families, needed, sources, versions = [], {}, {}, {}  # the batch being gathered
    size = done = 0
    for _, members in groupby(rows, key=itemgetter(0)):
        members = list(members)
        reworded = _reworded(members)
        for row in members:
            needed[row[7]] = None
            if reworded and row[9] is not None:
                needed[row[9]] = None
            if row[1] not in versions:
                versions[row[1]] = names[row[1]]
        first = members[0]
        source = rewritten.get((first[1], first[2], first[3]))
        if source is not None:
            sources[first[1], first[2], first[3]] = source
            versions[source.position] = names[source.position]
        families.append(members)
        size += len(members)
        done += 1
        if done % 5000 == 0:
            progress(done, None)
        if size >= BATCH_SENTENCES:
            yield _Batch(families, store.texts(list(needed)), sources, versions)
            families, needed, sources, versions = [], {}, {}, {}
            size = 0
    if families:
        yield _Batch(families, store.texts(list(needed)), sources, versions)


def _build_batch(work: FamilyWork, batch: _Batch) -> tuple[list, list[tuple[int, dict[str, int]]]]:
    """WORK's results for a batch's families, and the counts they add to each version."""
    counts: defaultdict[int, Counter] = defaultdict(Counter)
    versions = {position: VersionName(*name) for position, name in batch.versions.items()}
    each = work(versions)
    results = [each(_family(rows, batch.texts, versions, counts, batch.rewritten)) for rows in batch.families]
    return results, [(position, dict(tally)) for position, tally in counts.items()]


def _reworded(rows: list[tuple]) -> bool:
    """The paragraph before a sentence may name a speaker whose quote drifted: only a family with
    more than one wording can drift, so only there is it read (and sent)."""
    return len({row[6] for row in rows}) > 1


def _family(rows: list[tuple], texts: dict[str, str], versions: dict[int, VersionName], counts, rewritten) -> Family:
    reworded = _reworded(rows)
    occurrences = []
    for _, position, paragraph, idx, start, length, norm, text_hash, boiler, previous_hash in rows:
        paragraph_text = texts[text_hash]
        previous = texts[previous_hash] if reworded and previous_hash is not None else None
        occurrences.append(
            Occurrence(position, paragraph, idx, paragraph_text[start : start + length], start, paragraph_text,
                       previous, versions[position].story, bool(boiler), norm)
        )
    return build_family(occurrences, counts, rewritten)


def materialise(run: LineageRun) -> Lineage:
    """All families in memory, for views that need them all at once (the terminal's)."""
    return Lineage(run.method, run.versions, (), (), tuple(run.families))


def parallel_verify(engine, pairs: list[tuple[str, str]], texts: dict[str, str], chunk: int = 2000) -> list[tuple[str, str]]:
    """verify_pairs, in chunks on an engine; the chunks' results joined in order."""
    batches = ((pairs[i : i + chunk], {h: texts[h] for pair in pairs[i : i + chunk] for h in pair})
               for i in range(0, len(pairs), chunk))
    verified: list[tuple[str, str]] = []
    for result in engine.map(_verify_batch, batches):
        verified.extend(result)
    return verified


def _verify_batch(batch: tuple[list[tuple[str, str]], dict[str, str]]) -> list[tuple[str, str]]:
    return verify_pairs(*batch)


def related_versions(store: Store, target, rules=None) -> list:
    """Stored versions that share a sentence of reporting (or a near duplicate's sketch keys)
    with ``target``: credit lines and teasers would tie every story of an outlet together."""
    analysed = analyse(target, default_rules() if rules is None else rules)
    reporting = {index for index, *_, reason in analysed.paragraphs if reason is None}
    norms = {norm for paragraph, *_, norm in analysed.sentences if paragraph in reporting}
    keys = {key for norm, _, sketch_keys in analysed.distinct if norm in norms for key in sketch_keys}
    return [store.version_of(v) for v in store.related(norms, keys)]
