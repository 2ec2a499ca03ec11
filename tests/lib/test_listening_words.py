"""lib.views.listening: stems named in words and listed in mixing-desk order."""

from lib.views.board import Download
from lib.views.listening import ordered, stem_name, stems_label


def test_stem_names_in_words():
    assert stem_name("stem:backing_vocals") == "Backing vocals"
    assert stem_name("stem:vocal") == "Vocals" and stem_name("stem:fx") == "FX"
    assert stem_name("stem:origin") == "Original mix" and stem_name("stem:woodwinds") == "Woodwinds"
    assert stems_label(12) == "Stems (12)" and stems_label(1) == "1 stem"


def test_stems_in_mixing_desk_order():
    kinds = ["stem:origin", "stem:zither", "stem:bass", "stem:drums", "stem:vocals", "stem:accordion"]
    stems = [Download(k, k, None, None) for k in kinds]
    assert [s.kind for s in ordered(stems)] == ["stem:vocals", "stem:drums", "stem:bass",
                                                 "stem:origin", "stem:accordion", "stem:zither"]
