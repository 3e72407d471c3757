"""A synthetic city in the data contract, for benchmarks: ``make_city(directory, n_landmarks)``.

The city is centred on Shenzhen (22.543, 114.058, Asia/Shanghai) and reuses the real
``data/themes.csv``; its landmarks are spread over about 30 x 30 km with random themes, opening
hours, wheelchair access and prices drawn from valid values. The same seed gives the same
files byte for byte. Only the required files are written (itineraries are optional).

``python -m bench.synthetic DIR N`` writes a city and validates it with ``itinerary.seed``.
"""

from __future__ import annotations

import csv
import math
import random
import shutil
import sys
from pathlib import Path

from itinerary import seed

ROOT = Path(__file__).resolve().parents[1]
THEMES_CSV = ROOT / "data" / "themes.csv"

CITY_ID = "synthetica"
CENTER = (22.543, 114.058)
TIMEZONE = "Asia/Shanghai"
HALF_SIDE_KM = 15.0  # landmarks fall in a square of 2 x 15 km around the centre

OPENING_HOURS = (
    "24/7",
    "Mo-Su 09:00-18:00",
    "Mo-Su 10:00-22:00",
    "Mo-Su 06:00-23:00",
    "Tu-Su 10:00-18:00; Mo off",
    "Tu-Su 09:30-17:00; Mo off",
    "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00",
    "Sa-Th 08:00-20:00; Fr 16:00-20:00",
    "Mo-Su 18:00-02:00",
    "",  # unknown hours are allowed
)
WHEELCHAIR = ("yes", "yes", "limited", "no", "unknown")
PRICES = ("free", "free", "free", "CNY 30", "CNY 60", "CNY 80-150", "CNY 200", "")
DISTRICTS = (
    ("Futian", "福田"),
    ("Luohu", "罗湖"),
    ("Nanshan", "南山"),
    ("Bao'an", "宝安"),
    ("Longgang", "龙岗"),
    ("Longhua", "龙华"),
    ("Yantian", "盐田"),
    ("Guangming", "光明"),
)
ADJECTIVES = (
    "Old",
    "New",
    "Golden",
    "Jade",
    "Harbour",
    "Bamboo",
    "Lotus",
    "Pearl",
    "Silver",
    "Maple",
    "Coral",
    "Sunrise",
    "Lantern",
    "Phoenix",
    "Banyan",
    "Lychee",
)
KINDS = (
    ("Museum", "博物馆"),
    ("Park", "公园"),
    ("Market", "市场"),
    ("Gallery", "美术馆"),
    ("Tea House", "茶馆"),
    ("Temple", "古庙"),
    ("Lab", "实验室"),
    ("Garden", "花园"),
    ("Plaza", "广场"),
    ("Food Street", "美食街"),
    ("Wetland", "湿地"),
    ("Library", "图书馆"),
)
ZH_PREFIXES = (
    "老",
    "新",
    "金",
    "玉",
    "港",
    "竹",
    "莲",
    "珠",
    "银",
    "枫",
    "珊瑚",
    "朝阳",
    "灯笼",
    "凤凰",
    "榕树",
    "荔枝",
)
SUMMARY_PARTS = (
    "A local favourite with level paths and shaded seating.",
    "Free guided tours run on weekend mornings.",
    "Built in the 1980s and restored as a public space.",
    "Known for its evening light show and waterfront views.",
    "Families come for the play areas and the small science corner.",
    "Street-food stalls open around it after dark.",
    "Designers and start-ups share the renovated factory floors.",
    "Step-free entrances and lifts reach every floor.",
)
SUMMARY_ZH_PARTS = (
    "深受本地人喜爱，步道平坦，设有遮阴座椅。",
    "周末上午提供免费导览。",
    "始建于上世纪八十年代，现已改造为公共空间。",
    "以夜间灯光秀和滨水景观著称。",
    "亲子游乐区和小型科普角吸引众多家庭。",
    "入夜后周边小吃摊陆续开张。",
)

LANDMARK_COLUMNS = tuple(c.name for c in seed.SPEC_BY_NAME["landmarks.csv"].columns)
CITY_COLUMNS = tuple(c.name for c in seed.SPEC_BY_NAME["cities.csv"].columns)


def theme_ids(themes_csv: Path = THEMES_CSV) -> list[str]:
    """The theme ids of a themes.csv file, in file order."""
    with themes_csv.open(encoding="utf-8-sig", newline="") as f:
        return [row["id"] for row in csv.DictReader(f)]


def _landmark(i: int, rng: random.Random, themes: list[str]) -> dict[str, str]:
    """One random, valid landmarks.csv row (the i-th of the city)."""
    dlat = rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM) / 111.32
    dlon = rng.uniform(-HALF_SIDE_KM, HALF_SIDE_KM) / (111.32 * math.cos(math.radians(CENTER[0])))
    adjective = rng.randrange(len(ADJECTIVES))
    kind, kind_zh = KINDS[rng.randrange(len(KINDS))]
    district, district_zh = DISTRICTS[rng.randrange(len(DISTRICTS))]
    name = f"{ADJECTIVES[adjective]} {kind} {i + 1}"
    has_site = rng.random() < 0.3
    return {
        "id": f"{CITY_ID}-{i + 1:05d}",
        "city_id": CITY_ID,
        "name": name,
        "name_zh": f"{ZH_PREFIXES[adjective]}{kind_zh}{i + 1}号",
        "lat": f"{CENTER[0] + dlat:.6f}",
        "lon": f"{CENTER[1] + dlon:.6f}",
        "themes": ";".join(rng.sample(themes, rng.choice((1, 1, 2, 2, 3)))),
        "district": district,
        "address": f"{rng.randint(1, 9999)} {ADJECTIVES[rng.randrange(len(ADJECTIVES))]} Road, {district}",
        "summary": " ".join(rng.sample(SUMMARY_PARTS, 2)),
        "summary_zh": "".join(rng.sample(SUMMARY_ZH_PARTS, 2)) + f"（{district_zh}）",
        "visit_minutes": str(rng.choice((30, 45, 60, 90, 120, 180))),
        "opening_hours": rng.choice(OPENING_HOURS),
        "wheelchair": rng.choice(WHEELCHAIR),
        "price": rng.choice(PRICES),
        "website": f"https://example.org/{CITY_ID}/{i + 1}" if has_site else "",
        "status": "published",
    }


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_city(directory: Path | str, n_landmarks: int, *, seed: int = 20240601) -> Path:
    """Write a complete data-contract folder with one city of ``n_landmarks`` landmarks.

    Every landmark is published, so all ``n_landmarks`` are on the Explore map without
    filters. Returns the folder (created if needed; existing contract files are replaced).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("itineraries.csv", "itinerary_stops.csv"):  # optional files: none in this city
        (directory / name).unlink(missing_ok=True)
    shutil.copyfile(THEMES_CSV, directory / "themes.csv")
    city = {
        "id": CITY_ID,
        "name": "Synthetica",
        "name_zh": "合成市",
        "country": "China",
        "lat": f"{CENTER[0]:.5f}",
        "lon": f"{CENTER[1]:.5f}",
        "zoom": "11",
        "timezone": TIMEZONE,
    }
    _write_csv(directory / "cities.csv", CITY_COLUMNS, [city])
    rng = random.Random(seed)
    themes = theme_ids()
    rows = [_landmark(i, rng, themes) for i in range(n_landmarks)]
    _write_csv(directory / "landmarks.csv", LANDMARK_COLUMNS, rows)
    return directory


def main(argv: list[str]) -> int:
    """``python -m bench.synthetic DIR N``: write a city and validate it."""
    if len(argv) != 2:
        print("usage: python -m bench.synthetic DIR N_LANDMARKS", file=sys.stderr)
        return 2
    directory = make_city(argv[0], int(argv[1]))
    dataset = seed.load_dir(directory)
    print(f"{directory}: OK ({len(dataset.landmarks)} landmarks, {len(dataset.themes)} themes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
