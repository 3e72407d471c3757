"""CityPlus Explorer entry point: hosts the pages; each page does its own set-up (ui.setup)."""

import streamlit as st

from ui.nav import navigation_pages
from ui.setup import current_lang

pages = navigation_pages(current_lang())
st.navigation(pages, position="sidebar" if len(pages) > 1 else "hidden").run()
