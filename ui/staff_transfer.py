"""Staff: import and export (placeholder until itinerary.transfer lands)."""

from __future__ import annotations

import streamlit as st

from ui.setup import PageContext
from ui.staff import Staff


def transfer_section(staff: Staff, ctx: PageContext) -> None:
    st.info("Import and export: coming in this change.")
