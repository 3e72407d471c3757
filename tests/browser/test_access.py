"""The access facts in a browser: the Curate editor's access fields open, under axe-core, in
both languages at phone and desktop width, with screenshots (issue 10 section 3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench import a11y
from itinerary.i18n import t
from tests.browser.conftest import AppServer, Contexts, screenshot, sign_in_admin
from tests.browser.test_accessibility import WAIVERS, _describe, _open
from tests.browser.test_accessibility import axe_source as axe_source  # the fixture


@pytest.mark.parametrize("size", list(a11y.SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_access_fields_of_the_editor_pass_axe(
    contexts: Contexts, staff_server: AppServer, axe_source: str, lang: str, size: str
) -> None:
    for page in _open(contexts, staff_server, size):
        sign_in_admin(page, staff_server, lang)
        page.get_by_text(t("access.editor", lang), exact=True).first.click()
        expect(page.get_by_text(t("access.editor_help", lang))).to_be_visible()
        steps = page.get_by_role("spinbutton", name=t("access.field.entrance_steps", lang))
        expect(steps).to_be_visible()
        a11y.settle(page)
        findings = a11y.audit_page(
            page, axe_source, view="curate access", size=size, lang=lang, waivers=WAIVERS, strict=True
        )
        steps.scroll_into_view_if_needed()
        screenshot(page, f"access-editor-{lang}-{size}", whole=False)
        assert not findings, _describe(findings)
