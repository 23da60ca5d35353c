"""Encoding damage (mojibake) is repaired for matching, never in the text shown."""

from __future__ import annotations

import re

import pytest

from cpsdiff.repair import looks_damaged, repair, repaired_text
from cpsdiff.text import normalize


@pytest.mark.parametrize(
    ("damaged", "clean"),
    [
        ("EspaÃ±ol", "Español"),  # UTF-8 read as Windows-1252
        ("Itâ€™s over", "It’s over"),
        ("weâ\x80\x99re here", "we’re here"),  # read as Latin-1: C1 controls kept
        ("donât stop", "don’t stop"),  # the middle bytes lost on the way
        ("a\u00a0Â\u00a0b", "a\u00a0\u00a0b"),  # a no-break space's lead byte left over
        ("left â right", "left — right"),  # a dash reduced to its lead byte
    ],
)
def test_damage_is_undone_for_matching(damaged, clean):
    assert looks_damaged(damaged)
    assert repaired_text(damaged) == clean
    assert normalize(damaged) == normalize(clean)


@pytest.mark.parametrize("text", ["château", "pâte brisée", "Ångström", "plain ASCII", "naïve café"])
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
