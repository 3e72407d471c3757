"""CityPlus Explorer entry point: hosts the pages; each page does its own set-up (ui.setup)."""

import streamlit as st

from ui.nav import navigation_pages
from ui.setup import current_lang

pages = navigation_pages(current_lang())
# the sidebar links are drawn by ui.setup (the same when a page is opened without app.py)
st.navigation(pages, position="hidden").run()
