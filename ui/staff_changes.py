"""Staff: the latest changes in a city (who, when, what), newest first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from itinerary.i18n import t
from ui.setup import PageContext
from ui.staff import Staff


def changes_section(staff: Staff, ctx: PageContext) -> None:
    lang = ctx.lang
    recent = staff.curator.recent(staff.city_id, limit=200)
    if not recent:
        st.info(t("cur.changes.none", lang))
        return
    st.caption(t("cur.changes.help", lang))
    st.dataframe(
        pd.DataFrame(
            [
                (
                    c.at.strftime("%Y-%m-%d %H:%M UTC") if c.at else "",
                    c.username,
                    t(f"cur.entity.{c.entity}", lang),
                    c.entity_id,
                    c.version,
                    t(f"cur.action.{c.action}", lang),
                    ", ".join(f.field for f in c.changed) if c.before is not None else "",
                )
                for c in recent
            ],
            columns=[
                t("cur.changes.when", lang),
                t("cur.acc.user", lang),
                t("cur.changes.kind", lang),
                t("cur.changes.id", lang),
                t("cur.changes.version", lang),
                t("cur.changes.action", lang),
                t("cur.changes.fields", lang),
            ],
        ),
        hide_index=True,
        width="stretch",
    )
