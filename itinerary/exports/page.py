"""The plan as a printable page: standalone A4 HTML (no scripts, no external resources).

Every text is ``html.escape``d (``_html``); the share link is a link only when it is http(s).
"""

from __future__ import annotations

from collections.abc import Mapping

from itinerary.exports.model import RETURN, ExportPlan, ExportStop
from itinerary.exports.qr import _qr_inline_svg, qr_fits
from itinerary.exports.text import (
    _clean,
    _clock,
    _dates_label,
    _html,
    _labels,
    _line,
    _mode_label,
    _travel,
    _warning_lines,
    share_link,
    stop_marks,
)
from itinerary.i18n import t

# ---------------------------------------------------------------- printable page

PRINT_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box; }
body { margin: 0; color: #000; background: #fff;
  font: 10.5pt/1.4 "Source Sans Pro", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm;
  border-bottom: 1.5pt solid #c8102e; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
.meta { margin: 0; color: #333; }
.qr { width: 28mm; height: 28mm; flex: none; }
.qr svg { width: 100%; height: 100%; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border-bottom: 0.5pt solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { border-bottom: 1pt solid #000; font-size: 9pt; }
th, td.num, td.time, td.travel { white-space: nowrap; }
.other { display: block; }
.note { color: #333; font-size: 9.5pt; }
.access, .warning { display: block; }
.warning { color: #000; font-weight: 700; }
footer { margin-top: 5mm; font-size: 9pt; color: #333; overflow-wrap: anywhere; }
a { color: #000; }
"""


def to_print_html(plan: ExportPlan, *, labels: Mapping[str, str] | None = None, with_qr: bool = True) -> str:
    """A standalone A4 page of the plan (no scripts, no external resources), ready to print.

    ``labels`` overrides entries of ``LABELS[plan.lang]``; ``with_qr`` draws the share link as an
    inline SVG QR code next to the title when the link is http(s).
    """
    text = _labels(plan, labels)
    link = share_link(plan.url)
    qr = ""
    if with_qr and qr_fits(link):  # a link too long for a QR code is still printed in the footer
        qr = f'<div class="qr" title="{_html(text["scan"])}">{_qr_inline_svg(link, text["scan"])}</div>'
    heads = ("position", "stop", "arrive", "depart", "travel", "address", "note")
    facts = (("city", _line(plan.city_name)), ("date", _dates_label(plan, text)), ("mode", _mode_label(plan)))
    meta = [f"{text[key]}{text['colon']}{value}" for key, value in facts]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if plan.lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html(_line(plan.title))} · {_html(_line(plan.city_name))}</title>",
        f"<style>{PRINT_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<div>",
        f"<h1>{_html(_line(plan.title))}</h1>",
        f'<p class="meta">{_html(" · ".join(meta))}</p>',
        "</div>",
        *([qr] if qr else []),
        "</header>",
        "<table>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{_html(text[key])}</th>' for key in heads)
        + "</tr></thead>",
        "<tbody>",
    ]
    for position, (mark, stop) in enumerate(zip(stop_marks(plan), plan.stops, strict=True), start=1):
        travel = _travel(stop, text) or [text["start"] if position == 1 else "—"]
        note = _note_html(stop, text)
        out.append(
            "<tr>"
            f'<td class="num">{_html(mark)}</td>'
            f"<td>{_names_html(stop, plan.lang)}</td>"
            f'<td class="time">{_html(_clock(stop.arrive, plan))}</td>'
            f'<td class="time">{_html(_clock(stop.depart, plan))}</td>'
            f'<td class="travel">{"<br>".join(_html(part) for part in travel)}</td>'
            f"<td>{_html(_line(stop.address))}</td>"
            f'<td class="note">{note}</td>'
            "</tr>"
        )
    out += ["</tbody>", "</table>", "<footer>"]
    if link:
        out.append(f'<p>{_html(text["share"] + text["colon"])}<a href="{_html(link)}">{_html(link)}</a></p>')
    out += [f"<p>{_html(text['made_with'])}</p>", "</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _note_html(stop: ExportStop, labels: Mapping[str, str]) -> str:
    """The notes cell: the curated note, then the access, the hours and each warning on lines of their own."""
    parts = [_html(_clean(stop.note).strip()).replace("\n", "<br>")]
    if _line(stop.access):
        parts.append(f'<span class="access">{_html(_line(stop.access))}</span>')
    parts += [f'<span class="access">{_html(_line(stop.hours))}</span>'] if _line(stop.hours) else []
    parts += [f'<span class="warning">{_html(w)}</span>' for w in _warning_lines(stop, labels)]
    return "".join(part for part in parts if part)


def _names_html(stop: ExportStop, lang: str) -> str:
    """The name in the page's language in bold, the other one under it."""
    name, name_zh = _line(stop.name), _line(stop.name_zh)
    pairs = [(name_zh, "zh-Hans"), (name, "en")] if lang == "zh" else [(name, "en"), (name_zh, "zh-Hans")]
    shown = [(text, code) for text, code in pairs if text]
    if len(shown) == 2 and name == name_zh:
        shown = shown[:1]
    if stop.kind == RETURN:  # "Back at ...", each name in its own language
        shown = [
            (t("plan.back_to", "zh" if code == "zh-Hans" else "en", name=text), code) for text, code in shown
        ]
    first, *rest = shown or [("", lang)]
    return f"<strong>{_html(first[0])}</strong>" + "".join(
        f'<span class="other" lang="{code}">{_html(text)}</span>' for text, code in rest
    )
