"""Encoding damage (mojibake) is repaired for matching, never in the text shown."""

from __future__ import annotations

import re

import pytest

from cpsdiff.text.normalize import normalize
from cpsdiff.text.repair import looks_damaged, repair, repaired_text


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("EspaÃ±ol", "Español"),  # UTF-8 read as Windows-1252
        ("Itâ€™s over", "It’s over"),
        ("weâ\x80\x99re here", "we’re here"),  # read as Latin-1: C1 controls kept
        ("donât stop", "don’t stop"),  # the middle bytes lost on the way
        ("a\u00a0Â\u00a0b", "a\u00a0\u00a0b"),  # a no-break space's lead byte left over
        ("left â right", "left — right"),  # a dash reduced to its lead byte
        ("Tiáº¿ng Viá»‡t", "Tiếng Việt"),  # 3-byte letters, lead byte E1 shown as "á"
        ("Ð¡Ð¾Ð±Ð°ÐºÐ°", "Собака"),  # Cyrillic, lead byte D0 shown as "Ð"
        ("VoilÃ\xa0 tout", "Voilà tout"),  # "à" is C3 A0: its second byte is a no-break space
        ("it\x92s a \x93test\x94 \x97 over", "it’s a “test” — over"),  # Windows-1252 read as Latin-1
        ("Iâm sure they canât, but youâll see", "I’m sure they can’t, but you’ll see"),
    ],
)
def test_damage_is_undone_for_matching(damaged, clean):
    assert looks_damaged(damaged)
    assert repaired_text(damaged) == clean
    assert normalize(damaged) == normalize(clean)


@pytest.mark.parametrize("text", ["château", "pâte brisée", "Ångström", "plain ASCII", "naïve café", "Niño Español", "Łódź", "Ça va, Éloïse ?",
                                  "Lâm Đồng province", "Mr. Tâm said", "Nguyễn Văn Lâm"])
def test_clean_text_is_left_alone(text):
    assert not looks_damaged(text)
    assert repaired_text(text) == text


def test_offsets_lead_back_to_the_text_as_given():
    text = "Hola EspaÃ±ol, donât go â now."
    fixed = repair(text)
    assert fixed.text == "Hola Español, don’t go — now."
    shown = [
        text[fixed.original_start(m.start()) : fixed.original_end(m.end())]
        for m in re.finditer(r"\w+", fixed.text)
    ]
    # a repaired chunk maps as a whole; everything else maps character for character
    assert shown == ["Hola", "EspaÃ±ol,", "don", "t", "go", "now"]


def test_accents_and_typography_fold_in_the_matching_form():
    assert normalize("Naïve “Café” — CHÂTEAU") == normalize('naive "cafe" - chateau')


def test_a_double_encoded_i_acute_survives_reading():
    """"í" is C3 AD in UTF-8; read as Windows-1252 its second byte is a soft hyphen, which reading
    dropped as an invisible character, leaving "GarcÃa" that nothing can repair."""
    from cpsdiff.inputs.loading import decode

    text = decode("Mayor Ana García".encode("utf-8").decode("latin-1").encode("utf-8"), "new.txt")
    assert text == "Mayor Ana GarcÃ\u00ada"
    assert repaired_text(text) == "Mayor Ana García"
    assert decode("co\u00adop".encode("utf-8"), "new.txt") == "coop"  # a real soft hyphen still goes


def test_encoding_damage_fools_no_boilerplate_rule():
    """"é" double-encoded is "Ã©": the copyright rule saw a "©" in "JosÃ©"."""
    from cpsdiff.diff.boilerplate import classify, default_rules

    body = ["The council met on Tuesday to discuss the budget."] * 8
    damaged = "District 1 â€” Councilmember JosÃ© Ortega"
    assert classify([*body[:4], damaged, *body[4:]], default_rules())[4] is None
    assert classify([*body, "Â© 2025 City of Alameda"], default_rules())[-1].startswith("copyright notice")


def _words_as_given(text: str) -> list[str]:
    fixed = repair(text)
    return [text[fixed.original_start(m.start()) : fixed.original_end(m.end())] for m in re.finditer(r"[^\W_]+", fixed.text)]


def test_every_word_of_a_repaired_text_leads_back_to_the_text_as_given():
    """A repaired chunk maps as a whole, from any word in it ("It" and "s" of "Itâ€™s", "I" of
    "Iâ€™m"), whether it opens the text or ends at a space; the words after repaired chunks,
    which stand several characters earlier in the repaired text, map to themselves."""
    text = "Itâ€™s over, JosÃ© PÃ©rez said in EspaÃ±ol today, and Iâ€™m told the vote is Tuesday."
    assert repair(text).text == "It’s over, José Pérez said in Español today, and I’m told the vote is Tuesday."
    assert _words_as_given(text) == [
        "Itâ€™s", "Itâ€™s", "over", "JosÃ©", "PÃ©rez", "said", "in", "EspaÃ±ol", "today", "and",
        "Iâ€™m", "Iâ€™m", "told", "the", "vote", "is", "Tuesday",
    ]


def test_text_that_looks_damaged_but_cannot_be_repaired_keeps_its_offsets():
    """"Ã la carte" lost the no-break space that made "à": it looks damaged, nothing can mend it,
    and every word still maps to itself."""
    text = "Ã la carte dining returns to the Grand Hotel on Friday."
    assert looks_damaged(text)
    assert repaired_text(text) == text
    assert _words_as_given(text) == re.findall(r"[^\W_]+", text)


def test_a_clean_accented_word_before_a_damaged_one_does_not_stop_the_repair():
    text = "The château’s new owner, JosÃ© Pérez, said the vineyard would stay open."
    assert repaired_text(text) == "The château’s new owner, José Pérez, said the vineyard would stay open."


def test_clean_accented_text_is_judged_without_ftfy(monkeypatch):
    """Only text with the marks of double encoding is handed to ftfy (costly); clean text with
    accents costs a substring test."""
    import ftfy.badness

    def refuse(text):
        raise AssertionError(f"ftfy asked about clean text: {text!r}")

    monkeypatch.setattr(ftfy.badness, "is_bad", refuse)
    text = "Señor Núñez told the Zürich court on Tuesday that the Łódź plant would stay open."
    looks_damaged.cache_clear()
    assert not looks_damaged(text)
