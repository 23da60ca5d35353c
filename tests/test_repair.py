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
    ],
)
def test_damage_is_undone_for_matching(damaged, clean):
    assert looks_damaged(damaged)
    assert repaired_text(damaged) == clean
    assert normalize(damaged) == normalize(clean)


@pytest.mark.parametrize("text", ["château", "pâte brisée", "Ångström", "plain ASCII", "naïve café", "Niño Español", "Łódź", "Ça va, Éloïse ?"])
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
