"""Staff: import data-contract CSV files, a zip of them or GeoJSON (preview, then all or nothing),
and export a city as a zip or GeoJSON."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary import transfer
from itinerary.i18n import t
from ui.setup import PageContext
from ui.staff import Staff, message_text, show_value, staff_geocoder
from ui.text import md_escape

ENTITIES = ("city", "theme", "landmark", "itinerary", "story")


def _bar(bar: st.delta_generator.DeltaGenerator, lang: str, done: int, total: int, label: str) -> None:
    bar.progress(
        done / total if total else 1.0,
        text=t("cur.tr.progress", lang, done=done, total=total, label=md_escape(label[:80])),
    )


def _read(files: list[st.runtime.uploaded_file_manager.UploadedFile]) -> transfer.Upload:
    """One upload of every chosen file (a file's own problems travel with it)."""
    combined = transfer.Upload()
    for file in files:
        upload = transfer.read_upload(file.name, file.getvalue())
        combined.problems += upload.problems
        combined.codes.update(upload.codes)
        for item in upload.files.values():
            combined.add(item)
    return combined


def _changes_frame(plan: transfer.ImportPlan, lang: str) -> pd.DataFrame:
    rows = []
    for row in plan.rows:
        kind = t(f"cur.tr.kind.{row.entity}", lang)
        if row.is_new:
            rows.append((row.where, kind, row.id, t("cur.tr.new", lang), "", ""))
            continue
        for change in row.changes:
            rows.append(
                (row.where, kind, row.id, change.field, show_value(change.before), show_value(change.after))
            )
    return pd.DataFrame(
        rows,
        columns=[
            t("cur.tr.where", lang),
            t("cur.changes.kind", lang),
            t("cur.changes.id", lang),
            t("cur.hist.field", lang),
            t("cur.hist.before", lang),
            t("cur.hist.after", lang),
        ],
    )


def _export_panel(staff: Staff, lang: str) -> None:
    """Export: the city as a zip of data-contract CSV files, or as GeoJSON."""
    store = staff.curator.store
    st.markdown(f"**{t('cur.tr.export', lang)}**")
    st.caption(t("cur.tr.export_help", lang))
    if not staff.can(acc.EXPORT):
        return
    # made when asked for: a download reruns nothing
    st.download_button(
        t("cur.tr.export_zip", lang),
        partial(transfer.export_zip, store, staff.city_id),
        f"cityplus-{staff.city_id}.zip",
        "application/zip",
        key="imp_export_zip",
        on_click="ignore",
        icon=":material/folder_zip:",
    )
    st.download_button(
        t("cur.tr.export_geojson", lang),
        partial(transfer.export_geojson, store, staff.city_id),
        f"cityplus-{staff.city_id}.geojson",
        "application/geo+json",
        key="imp_export_geojson",
        on_click="ignore",
        icon=":material/map:",
    )


def _upload_form(staff: Staff, lang: str) -> None:
    """Import, first step: choose files, then check them into a plan (nothing is written)."""
    st.caption(t("cur.tr.import_help", lang))
    files = st.file_uploader(
        t("cur.tr.files", lang),
        type=["csv", "zip", "geojson", "json"],
        accept_multiple_files=True,
        key=f"imp_files_{st.session_state.get('imp_round', 0)}",
    )
    st.checkbox(t("cur.tr.geocode", lang), key="imp_geocode", help=t("cur.tr.geocode_help", lang))
    if st.button(t("cur.tr.preview", lang), key="imp_preview", disabled=not files, icon=":material/preview:"):
        bar = st.progress(0.0, text=t("cur.tr.reading", lang))
        geocoder = staff_geocoder(staff) if st.session_state.get("imp_geocode") else None
        plan = transfer.preview(
            staff.curator.store,
            _read(files or []),
            staff.account,
            geocoder=geocoder,
            progress=partial(_bar, bar, lang),
        )
        bar.empty()
        st.session_state["imp_plan"] = plan
        st.session_state.pop("imp_done", None)


def _plan_summary(plan: transfer.ImportPlan, lang: str) -> None:
    """Import, second step: what the files would add and change, and positions found."""
    counts = plan.counts()
    st.markdown(
        "  \n".join(
            t(
                f"cur.tr.count.{entity}",
                lang,
                added=counts[entity][0],
                changed=counts[entity][1],
                same=counts[entity][2],
            )
            for entity in ENTITIES
            if entity in counts and any(counts[entity])
        )
    )
    if plan.geocoded:
        st.markdown(f"**{t('cur.tr.geocoded', lang)}**")
        st.dataframe(
            pd.DataFrame(
                [
                    (g.where, g.landmark_id, g.address, f"{g.lat:.6f}, {g.lon:.6f}", g.found)
                    for g in plan.geocoded
                ],
                columns=[
                    t("cur.tr.where", lang),
                    t("cur.changes.id", lang),
                    t("cur.f.address", lang),
                    t("cur.tr.position", lang),
                    t("cur.tr.found", lang),
                ],
            ),
            hide_index=True,
            width="stretch",
        )


def _apply(staff: Staff, plan: transfer.ImportPlan, lang: str) -> None:
    """Import, last step: write the whole plan in one transaction, or nothing."""
    bar = st.progress(0.0, text=t("cur.tr.applying", lang))
    try:
        summary = transfer.apply(
            staff.curator.store, plan, staff.account, progress=partial(_bar, bar, lang), lang=lang
        )
    except cu.Conflict:
        bar.empty()
        st.error(t("cur.tr.stale", lang))
        st.session_state.pop("imp_plan", None)
        return
    except (PermissionError, transfer.PlanHasProblems) as error:
        bar.empty()
        st.error(md_escape(message_text(error, lang)))
        return
    bar.empty()
    st.session_state["imp_done"] = summary
    st.session_state.pop("imp_plan", None)
    st.session_state["imp_round"] = st.session_state.get("imp_round", 0) + 1  # a fresh uploader
    st.rerun()


def _import_panel(staff: Staff, lang: str) -> None:
    """Import: upload, check into a plan with every change and problem, then apply it."""
    st.markdown(f"**{t('cur.tr.import', lang)}**")
    if not staff.can(acc.IMPORT):
        st.warning(t("cur.tr.not_allowed", lang))
        return
    _upload_form(staff, lang)
    done = st.session_state.get("imp_done")
    if done:
        # the importer's own summary of what it wrote (its words, as it gives them)
        st.success(t("cur.tr.applied", lang, summary=md_escape(message_text(done, lang))))
    plan: transfer.ImportPlan | None = st.session_state.get("imp_plan")
    if plan is None:
        return
    if not plan.ok:
        st.error(t("cur.tr.has_problems", lang, n=len(plan.problems)), icon=":material/error:")
        # as text, one per line (file:line: column: message): searchable, copyable
        st.code("\n".join(plan.texts(lang)), language=None, wrap_lines=True)
        return
    _plan_summary(plan, lang)
    if not plan.rows:
        st.info(t("cur.tr.nothing", lang))
        return
    st.dataframe(_changes_frame(plan, lang), hide_index=True, width="stretch")
    if st.button(
        t("cur.tr.apply", lang, n=len(plan.rows)), type="primary", key="imp_apply", icon=":material/upload:"
    ):
        _apply(staff, plan, lang)


def transfer_section(staff: Staff, ctx: PageContext) -> None:
    """Import and export side by side: import on the left (wider), export on the right."""
    import_col, export_col = st.columns([3, 2], gap="large")
    with export_col, st.container(border=True):
        _export_panel(staff, ctx.lang)
    with import_col:
        _import_panel(staff, ctx.lang)
