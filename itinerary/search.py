"""Search in both languages: what a landmark's search text holds and how a query is cut into terms.

A landmark is found by its names, summaries, district and address in both languages, by its
themes' labels in both languages, and by the common words of ``WORDS``: when its text holds any
word of an entry, in either language, its search text holds that entry's mark, and a query word
of the entry asks for the mark. So "博物馆" finds exactly the places "museum" finds, and "市场"
those "market" finds, whichever language their staff wrote. The entries are words that stand in the data's own names
(``tests/unit/test_search.py`` checks that each one does, in both languages); nothing here
names a landmark.

A query is cut at spaces; a Chinese run is cut further at the table's Chinese words, since
Chinese is written without spaces: "福田公园" asks for "福田" and "公园", as "futian park" does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd

# the columns searched, where the frame has them (district_zh and address_zh are optional)
SEARCH_FIELDS = (
    "name",
    "name_zh",
    "summary",
    "summary_zh",
    "district",
    "district_zh",
    "address",
    "address_zh",
)

# Common words of the data's names, English then Chinese, one word each (a query is cut at
# spaces). Words are found as parts of the text, as a query's are, so each English word is long
# or distinctive enough not to stand inside other words, and each Chinese one inside unrelated
# words.
WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("museum",), ("博物馆", "标本馆")),
    (("gallery",), ("美术馆", "画廊")),
    (("park",), ("公园",)),
    (("garden",), ("植物园", "花园")),
    (("market",), ("市场",)),
    (("pedestrian",), ("步行街",)),
    (("library",), ("图书馆",)),
    (("concert",), ("音乐厅",)),
    (("mosque",), ("清真寺",)),
    (("cathedral",), ("主教座堂", "大教堂")),
    (("palace",), ("宫殿", "宫")),
    (("fortress", "castle"), ("炮台", "所城", "城堡")),
    (("beach",), ("海滩", "沙滩", "海滨公园")),
    (("waterfront",), ("海滨区", "滨海")),
    (("lake",), ("湖",)),
    (("island",), ("岛",)),
    (("bridge",), ("桥",)),
    (("village",), ("村",)),
    (("ancient",), ("古城", "古村", "老城")),
    (("exhibition",), ("展示", "展览", "会展")),
    (("stadium", "sports"), ("体育", "竞技场")),
    (("theatre", "theater"), ("剧场", "剧院")),
    (("shrine",), ("神社",)),
    (("station",), ("火车站",)),
    (("aquarium",), ("水族馆",)),
    (("monument",), ("纪念碑",)),
    (("science",), ("科学",)),
    (("technology",), ("科技",)),
    (("design",), ("设计",)),
    (("sculpture",), ("雕塑",)),
    (("mangrove",), ("红树林",)),
    (("ecological",), ("生态",)),
    (("safari", "wildlife"), ("野生动物",)),
    (("seafood",), ("海鲜",)),
    (("fishing",), ("渔港",)),
    (("creative",), ("创意",)),
    (("folk",), ("民俗",)),
    (("printmaking",), ("版画",)),
    (("painting",), ("油画",)),
    (("software",), ("软件",)),
    (("cableway",), ("索道",)),
    (("ferry",), ("渡轮",)),
    (("square",), ("广场",)),
    (("civic",), ("市民中心",)),
    (("lookout", "observation"), ("观景台", "观光层")),
    (("tower",), ("塔",)),
    (("valley",), ("欢乐谷", "峡谷")),
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def normalize_text(text: str) -> str:
    """Case- and width-insensitive form for search (full-width letters, accents kept)."""
    return unicodedata.normalize("NFKC", text).casefold()


def _entries() -> list[tuple[str, ...]]:
    return [tuple(normalize_text(w) for w in (*en, *zh)) for en, zh in WORDS]


def _mark(index: int) -> str:
    """What a landmark's search text holds for an entry of ``WORDS``: a mark no query holds by
    chance, so that one entry's words never find another's places."""
    return f"\ue000{index}\ue001"  # private-use characters (a NUL would not survive every string type)


def search_text(frame: pd.DataFrame, theme_labels: Mapping[str, str]) -> pd.Series:
    """The normalised search text of each landmark row (``themes`` as tuples of ids).

    ``theme_labels``: each theme id's labels in both languages, as one string. Built column by
    column (vectorised): joining row by row took 1.4 s at 10,000 landmarks.
    """
    text = pd.Series("", index=frame.index, dtype=object)
    for column in SEARCH_FIELDS:
        if column in frame:
            text = text + " " + frame[column].fillna("").astype(str)
    labels = frame["themes"].map(lambda ids: " ".join(theme_labels.get(t, "") for t in ids))
    text = (text + " " + labels).map(normalize_text)
    # one regular expression per entry over the whole column: 1.5 s at 10,000 landmarks on a busy
    # machine, where a pass per word took 5 s and one scan per row for all words 6 s
    marks = pd.Series("", index=frame.index, dtype=object)
    for index, words in enumerate(_entries()):
        hit = text.str.contains("|".join(re.escape(w) for w in words), regex=True)
        marks = marks + hit.map({True: _mark(index), False: ""})
    return text + " " + marks


def theme_labels(themes: pd.DataFrame) -> dict[str, str]:
    """Each theme's labels in both languages (rows of ``Catalog.themes``), for ``search_text``."""
    return {
        str(tid): " ".join(str(row.get(c) or "") for c in ("label", "label_zh"))
        for tid, row in themes.iterrows()
    }


def _chinese_words() -> list[str]:
    words = {normalize_text(w) for _, zh in WORDS for w in zh}
    return sorted(words, key=len, reverse=True)


def query_terms(query: str, words: Iterable[str] | None = None) -> list[str]:
    """The terms a query asks for, every one of which a landmark's search text must hold: the
    query cut at spaces, and each Chinese run cut at the table's Chinese words ("福田公园" ->
    "福田", "公园"). Each term is a part of the query, so a place holding the whole query holds
    them all."""
    known = list(words) if words is not None else _chinese_words()
    terms: list[str] = []
    for part in normalize_text(query).split():
        terms += _cut(part, known) if _CJK.fullmatch(part) else [part]
    marks = _word_marks()
    return [marks.get(term, term) for term in terms]


@lru_cache(maxsize=1)
def _word_marks() -> dict[str, str]:
    """Each word of ``WORDS`` -> its entry's mark: a query word of the table asks for the entry,
    which holds every place whose text holds any of its words, in either language."""
    return {word: _mark(index) for index, words in enumerate(_entries()) for word in words}


def _cut(run: str, known: list[str]) -> list[str]:
    """A Chinese run cut at the known words (longest first); what lies between stays whole."""
    pieces: list[str] = []
    rest = ""
    i = 0
    while i < len(run):
        word = next((w for w in known if run.startswith(w, i)), None)
        if word is None:
            rest += run[i]
            i += 1
            continue
        if rest:
            pieces.append(rest)
            rest = ""
        pieces.append(word)
        i += len(word)
    if rest:
        pieces.append(rest)
    return pieces
