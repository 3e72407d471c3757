"""Staff: a city's programmes (issue 12). Pick or start one; its fields, venues of its own and
dated items (a landmark, a venue, or none for a break or a travel slot); every warning of the
schedule at once; save, publish (over warnings only when ticked: recorded); the private link of
an unlisted programme (made, replaced, revoked); history and restore; the files out and in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from itinerary import settings
from itinerary.curation import Conflict
from itinerary.i18n import t
from itinerary.models import STATUSES
from itinerary.permissions import Refused
from itinerary.plans import public_base_url
from itinerary.programmes import editing, files, repo, tokens, view
from itinerary.programmes.records import (
    ITEM_KINDS,
    KINDS,
    PROGRAMME_MODES,
    VISIBILITIES,
    Full,
    Item,
    Programme,
    Venue,
)
from itinerary.validation import ValidationError
from ui.setup import PageContext
from ui.staff import Staff, show_conflict
from ui.text import md_escape

NEW = "__new__"
DRAFT = "pg_draft"
FIELDS = ("id", "title", "title_zh", "summary", "summary_zh", "host", "host_zh")


def _empty(city_id: str) -> Full:
    today = date.today().isoformat()
    return Full(
        Programme(
            "", city_id, "", "", "", "", "delegation", today, today, "", "", "coach", "unlisted", 600, "draft"
        )
    )


def _load(staff: Staff, programme_id: str) -> None:
    full = repo.load(staff.curator.store, programme_id) if programme_id != NEW else None
    full = full or _empty(staff.city_id)
    st.session_state[DRAFT] = full
    st.session_state["pg_base"] = (
        editing.version_of(staff.curator.store, programme_id) if programme_id != NEW else None
    )
    st.session_state["pg_loaded"] = programme_id
    p = full.programme
    for name in FIELDS:
        st.session_state[f"pg_f_{name}"] = getattr(p, name)
    for name in ("kind", "mode", "visibility", "status", "max_day_minutes"):
        st.session_state[f"pg_f_{name}"] = getattr(p, name)
    st.session_state["pg_f_start_date"] = p.first_day
    st.session_state["pg_f_end_date"] = p.last_day
    for key in ("pg_msg", "pg_problems", "pg_conflict", "pg_link"):
        st.session_state.pop(key, None)


def _draft(staff: Staff) -> Full:
    """The draft with the programme fields as the widgets hold them now."""
    full: Full = st.session_state[DRAFT]
    s = st.session_state
    pid = str(s.get("pg_f_id", "")).strip()
    programme = replace(
        full.programme,
        **{name: str(s.get(f"pg_f_{name}", "")).strip() for name in FIELDS},
        city_id=staff.city_id,
        kind=s["pg_f_kind"],
        mode=s["pg_f_mode"],
        visibility=s["pg_f_visibility"],
        status=s["pg_f_status"],
        max_day_minutes=int(s["pg_f_max_day_minutes"]),
        start_date=s["pg_f_start_date"].isoformat(),
        end_date=s["pg_f_end_date"].isoformat(),
    )
    return Full(
        programme,
        tuple(replace(v, programme_id=pid) for v in full.venues),
        tuple(replace(i, programme_id=pid) for i in full.items),
    )


def _fields(lang: str) -> None:
    for name in FIELDS:
        if name.startswith("summary"):
            st.text_area(t(f"prog.f.{name}", lang), key=f"pg_f_{name}")
        else:
            st.text_input(
                t(f"prog.f.{name}", lang),
                key=f"pg_f_{name}",
                disabled=name == "id" and st.session_state.get("pg_loaded") != NEW,
            )
    cols = st.columns(2)
    cols[0].selectbox(
        t("prog.f.kind", lang), KINDS, format_func=lambda k: t(f"prog.kind.{k}", lang), key="pg_f_kind"
    )
    cols[1].selectbox(
        t("prog.f.mode", lang),
        PROGRAMME_MODES,
        format_func=lambda m: t(f"prog.mode.{m}", lang),
        key="pg_f_mode",
    )
    cols[0].date_input(t("prog.f.start_date", lang), key="pg_f_start_date")
    cols[1].date_input(t("prog.f.end_date", lang), key="pg_f_end_date")
    cols[0].selectbox(
        t("prog.f.visibility", lang),
        VISIBILITIES,
        format_func=lambda v: t(f"prog.visibility.{v}", lang),
        key="pg_f_visibility",
    )
    cols[1].number_input(
        t("prog.f.max_day_minutes", lang), min_value=30, max_value=1440, step=30, key="pg_f_max_day_minutes"
    )


def _add_venue() -> None:
    s = st.session_state
    full: Full = s[DRAFT]
    venue = Venue(
        full.programme.id,
        str(s["pg_v_id"]).strip(),
        str(s["pg_v_name"]).strip(),
        str(s["pg_v_name_zh"]).strip(),
        float(s["pg_v_lat"]),
        float(s["pg_v_lon"]),
        str(s["pg_v_address"]).strip(),
        "",
        str(s["pg_v_hours"]).strip(),
    )
    s[DRAFT] = replace(full, venues=(*(v for v in full.venues if v.id != venue.id), venue))


def _venues(lang: str) -> None:
    full: Full = st.session_state[DRAFT]
    st.subheader(t("prog.venues", lang), anchor=False)
    st.caption(t("prog.venues_help", lang))
    for venue in full.venues:
        st.markdown(
            f"- `{md_escape(venue.id)}` {md_escape(venue.name)} {md_escape(venue.name_zh)} ({venue.lat:.5f}, {venue.lon:.5f})"
        )
    with st.expander(t("prog.add_venue", lang)):
        st.text_input(t("prog.f.venue_id", lang), key="pg_v_id")
        st.text_input(t("prog.f.name", lang), key="pg_v_name")
        st.text_input(t("prog.f.name_zh", lang), key="pg_v_name_zh")
        cols = st.columns(2)
        cols[0].number_input(
            t("prog.f.lat", lang), min_value=-90.0, max_value=90.0, format="%.5f", key="pg_v_lat"
        )
        cols[1].number_input(
            t("prog.f.lon", lang), min_value=-180.0, max_value=180.0, format="%.5f", key="pg_v_lon"
        )
        st.text_input(t("prog.f.address", lang), key="pg_v_address")
        st.text_input(t("prog.f.hours", lang), key="pg_v_hours")
        st.button(t("prog.add_venue", lang), on_click=_add_venue, key="pgb_add_venue")


def _add_item() -> None:
    s = st.session_state
    full: Full = s[DRAFT]
    place = str(s.get("pg_i_place") or "")
    kind, _, place_id = place.partition(":")
    position = max((i.position for i in full.items), default=0) + 1
    new = Item(
        full.programme.id,
        position,
        s["pg_i_day"].isoformat(),
        str(s["pg_i_start"]).strip(),
        str(s["pg_i_end"]).strip(),
        s["pg_i_kind"],
        place_id if kind == "landmark" else "",
        place_id if kind == "venue" else "",
        str(s["pg_i_title"]).strip(),
        str(s["pg_i_title_zh"]).strip(),
        str(s["pg_i_note"]).strip(),
        str(s["pg_i_note_zh"]).strip(),
    )
    s[DRAFT] = replace(full, items=(*full.items, new))


def _remove_item(position: int) -> None:
    full: Full = st.session_state[DRAFT]
    kept = [i for i in full.items if i.position != position]
    st.session_state[DRAFT] = replace(
        full, items=tuple(replace(i, position=n) for n, i in enumerate(kept, start=1))
    )


def _items(staff: Staff, ctx: PageContext, lang: str) -> None:
    full: Full = st.session_state[DRAFT]
    st.subheader(t("prog.items", lang), anchor=False)
    landmarks = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    for row in view.rows(full, repo.landmark_places(staff.curator.store, full)):
        i = row.item
        cols = st.columns([5, 1])
        cols[0].markdown(
            f"{md_escape(i.day)} **{md_escape(i.start)}–{md_escape(i.end)}** {md_escape(t(f'prog.kind_item.{i.kind}', lang))} · "
            f"{md_escape(row.title(lang))} {md_escape(row.place_name(lang))}"
        )
        cols[1].button(
            t("prog.remove", lang), key=f"pg_rm_{i.position}", on_click=_remove_item, args=(i.position,)
        )
    places = [""] + [f"landmark:{lid}" for lid in landmarks.index] + [f"venue:{v.id}" for v in full.venues]

    def place_name(value: str) -> str:
        kind, _, pid = value.partition(":")
        if not value:
            return t("prog.no_place", lang)
        if kind == "venue":
            return t("prog.venue_named", lang, name=next((v.name for v in full.venues if v.id == pid), pid))
        return str(landmarks.loc[pid, "name"])

    with st.expander(t("prog.add_item", lang), expanded=not full.items):
        days = list(_draft(staff).programme.days) or [date.today()]
        st.selectbox(t("prog.day", lang), days, key="pg_i_day")
        cols = st.columns(2)
        cols[0].text_input(t("prog.f.start", lang), key="pg_i_start", placeholder="09:00")
        cols[1].text_input(t("prog.f.end", lang), key="pg_i_end", placeholder="10:00")
        st.selectbox(
            t("prog.f.item_kind", lang),
            ITEM_KINDS,
            format_func=lambda k: t(f"prog.kind_item.{k}", lang),
            key="pg_i_kind",
        )
        st.selectbox(t("prog.f.place", lang), places, format_func=place_name, key="pg_i_place")
        st.text_input(t("prog.f.title", lang), key="pg_i_title")
        st.text_input(t("prog.f.title_zh", lang), key="pg_i_title_zh")
        st.text_input(t("prog.f.note", lang), key="pg_i_note")
        st.text_input(t("prog.f.note_zh", lang), key="pg_i_note_zh")
        st.button(t("prog.add_item", lang), on_click=_add_item, key="pgb_add_item")


def _save(staff: Staff) -> None:
    s = st.session_state
    for key in ("pg_msg", "pg_problems", "pg_conflict"):
        s.pop(key, None)
    full = _draft(staff)
    try:
        version = editing.save(
            staff.curator.store,
            staff.account,
            full,
            base_version=s.get("pg_base"),
            accept_warnings=bool(s.get("pg_accept")),
        )
    except ValidationError as error:
        s["pg_problems"] = error.problems
        return
    except editing.Unaccepted:
        s["pg_msg"] = ("error", "prog.tick_to_publish")
        return
    except Conflict as conflict:
        s["pg_conflict"] = conflict
        return
    except Refused as refused:
        s["pg_msg"] = ("refused", refused.text(staff.lang))
        return
    s["pg_base"], s["pg_loaded"], s["pg_pick"] = version, full.programme.id, full.programme.id
    s[DRAFT] = full
    s["pg_msg"] = ("success", "prog.saved")


def _new_link(staff: Staff) -> None:
    pid = st.session_state["pg_loaded"]
    token = tokens.issue(staff.curator.store, pid, username=staff.account.username)
    st.session_state["pg_link"] = view.token_link(public_base_url(st.context.url), token)


def _revoke(staff: Staff) -> None:
    tokens.revoke(staff.curator.store, st.session_state["pg_loaded"])
    st.session_state.pop("pg_link", None)
    st.session_state["pg_msg"] = ("success", "prog.revoked")


def _messages(lang: str) -> None:
    s = st.session_state
    msg = s.get("pg_msg")
    if msg:
        kind, key = msg
        if kind == "refused":
            st.error(md_escape(key))
        else:
            getattr(st, kind)(t(key, lang))
    if s.get("pg_problems"):
        st.error(t("prog.problems", lang))
        st.code("\n".join(p.located(lang) for p in s["pg_problems"]), language=None)
    if s.get("pg_conflict"):
        show_conflict(s["pg_conflict"], lang)


def _link(staff: Staff, lang: str) -> None:
    full = _draft(staff)
    if st.session_state.get("pg_base") is None or full.programme.visibility != "unlisted":
        return
    st.subheader(t("prog.private_link", lang), anchor=False)
    live = tokens.has_live_token(staff.curator.store, full.programme.id)
    st.caption(t("prog.link_live" if live else "prog.link_none", lang, days=settings.programme_link_days()))
    cols = st.columns(2)
    cols[0].button(
        t("prog.new_link" if not live else "prog.replace_link", lang),
        on_click=_new_link,
        args=(staff,),
        key="pg_new_link",
    )
    if live:
        cols[1].button(t("prog.revoke_link", lang), on_click=_revoke, args=(staff,), key="pg_revoke")
    if st.session_state.get("pg_link"):
        st.info(t("prog.link_once", lang))
        st.code(st.session_state["pg_link"], language=None)


def _history(staff: Staff, lang: str) -> None:
    pid = st.session_state.get("pg_loaded")
    if st.session_state.get("pg_base") is None or not pid:
        return
    with st.expander(t("prog.history", lang)):
        for version, action, who, at, after in editing.history(staff.curator.store, pid):
            line = f"v{version} · {t(f'cur.action.{action}', lang)} · {md_escape(who)} · {at:%Y-%m-%d %H:%M}"
            if after.get("published_over"):
                line += " · " + t("prog.published_over", lang, count=len(after["published_over"]))
            cols = st.columns([5, 1])
            cols[0].markdown(line)
            cols[1].button(
                t("prog.restore", lang), key=f"pg_restore_{version}", on_click=_restore, args=(staff, version)
            )


def _restore(staff: Staff, version: int) -> None:
    s = st.session_state
    try:
        s["pg_base"] = editing.restore(
            staff.curator.store,
            staff.account,
            s["pg_loaded"],
            version=version,
            base_version=s["pg_base"],
            accept_warnings=True,
        )
    except (Conflict, ValidationError, Refused) as error:
        s["pg_msg"] = ("refused", str(error))
        return
    _load(staff, s["pg_loaded"])
    s["pg_msg"] = ("success", "prog.saved")


def programmes_section(staff: Staff, ctx: PageContext) -> None:
    lang = staff.lang
    store = staff.curator.store
    mine = editing.visible_to(store, staff.account, staff.city_id)
    options = [NEW, *(p.id for p in mine.programmes)]
    titles = {p.id: p.title for p in mine.programmes}
    if st.session_state.get("pg_pick") not in options:
        st.session_state["pg_pick"] = NEW
    st.selectbox(
        t("prog.pick", lang),
        options,
        format_func=lambda o: t("prog.new", lang) if o == NEW else f"{titles.get(o, o)} ({o})",
        key="pg_pick",
    )
    if st.session_state.get("pg_loaded") != st.session_state["pg_pick"] or DRAFT not in st.session_state:
        _load(staff, st.session_state["pg_pick"])
    _fields(lang)
    _venues(lang)
    _items(staff, ctx, lang)
    found = editing.warnings_of(store, _draft(staff)) if _draft(staff).items else []
    st.subheader(t("prog.warnings", lang), anchor=False)
    with st.container(key="pg_warnings"):
        if found:
            for warning in found:
                st.warning(md_escape(warning.text(lang)))
        else:
            st.success(t("prog.no_warnings", lang))
    st.selectbox(
        t("prog.f.status", lang),
        STATUSES,
        format_func=lambda v: t(f"cur.status.{v}", lang),
        key="pg_f_status",
    )
    if found:
        st.checkbox(t("prog.accept", lang, count=len(found)), key="pg_accept")
    st.button(t("prog.save", lang), type="primary", on_click=_save, args=(staff,), key="pg_save")
    _messages(lang)
    _link(staff, lang)
    _history(staff, lang)
    st.download_button(
        t("prog.export", lang),
        _zip(files.write_files(mine)),
        f"programmes-{staff.city_id}.zip",
        "application/zip",
        key="pg_export",
    )
    st.file_uploader(t("prog.import", lang), type=["zip", "csv"], accept_multiple_files=True, key="pg_upload")
    st.button(t("prog.import_go", lang), on_click=_import, args=(staff,), key="pgb_import")


def _import(staff: Staff) -> None:
    s = st.session_state
    uploads = s.get("pg_upload") or []
    for key in ("pg_msg", "pg_problems"):
        s.pop(key, None)
    try:
        raw = files.read_upload({u.name: u.getvalue() for u in uploads})
        saved = editing.import_files(staff.curator.store, staff.account, raw, city_id=staff.city_id)
    except ValidationError as error:
        s["pg_problems"] = error.problems
        return
    except (Refused, Conflict) as error:
        s["pg_msg"] = ("refused", error.text(staff.lang))
        return
    s["pg_msg"] = ("success", "prog.imported" if saved else "prog.import_unchanged")
    s.pop(DRAFT, None)


def _zip(named: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in named.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), raw)
    return out.getvalue()
