"""A link to take along, shown in full with a button that copies it (Plan's "Link to this plan").

``st.code`` drew it before, and a code block makes the browser fetch and compile Streamlit's
syntax highlighter: 1.56 MB of JavaScript, about 0.8 s of a core here, on every Plan page, a
phone's included, for one line of text nobody highlights. This is plain HTML in the page: the
link as text (wrapped, never a sideways scroll: WCAG 2.1.1; selectable), a button that copies it
with the Clipboard API, or where the page is not a secure context (a kiosk on a plain-HTTP
address) by selecting it and the browser's copy command, and a status line a screen reader
reads out ("Link copied", or how to copy it by hand). The link is escaped (``html.escape``); the
script is the same on every page and holds no data.
"""

from __future__ import annotations

import html

import streamlit as st

from itinerary.i18n import t

# One listener for every box on the page, added once (the box is drawn again at each rerun).
COPY_SCRIPT = """<script>
(() => {
  if (window.__cpShareLink) return;
  window.__cpShareLink = true;
  const say = (box, key) => {
    const status = box.querySelector(".cp-share-status");
    status.textContent = "";
    setTimeout(() => { status.textContent = box.dataset[key]; }, 50);  // read out again each time
  };
  const byHand = (box, text) => {
    const range = document.createRange();
    range.selectNodeContents(text);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    let done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    say(box, done ? "copied" : "failed");
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".cp-share-copy");
    if (!button) return;
    const box = button.closest(".cp-share");
    const text = box.querySelector(".cp-share-link");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.textContent).then(() => say(box, "copied"), () => byHand(box, text));
    } else {
      byHand(box, text);
    }
  });
})();
</script>"""

SHARE_CSS = """<style>
.cp-share { display: flex; flex-direction: column; gap: 0.4rem; margin-bottom: 0.5rem; }
.cp-share-label { font-size: 0.875rem; margin: 0; }
.cp-share-link {
  display: block; padding: 0.6rem 0.75rem; border-radius: 0.5rem; background: #f0f2f6; color: #0e1117;
  font-family: "Source Code Pro", monospace; font-size: 0.85rem; line-height: 1.5;
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; user-select: all;
}
.cp-share-copy {
  align-self: flex-start; min-height: 2.75rem; padding: 0.25rem 0.9rem; border-radius: 0.5rem;
  border: 1px solid #8b8d98; background: #ffffff; color: #0e1117; font: inherit; font-size: 0.875rem;
  cursor: pointer;
}
.cp-share-copy:hover { border-color: #b00c26; color: #b00c26; }
.cp-share-copy:focus-visible { outline: 3px solid #b00c26; outline-offset: 2px; }
.cp-share-status { font-size: 0.875rem; min-height: 1.3em; }
</style>"""


def share_html(link: str, lang: str, box_id: str) -> str:
    """The box's HTML: its label, the link as text, the copy button and the status line."""
    label_id = f"{box_id}-label"
    return (
        f'<div class="cp-share" id="{box_id}" data-copied="{html.escape(t("share.copied", lang))}"'
        f' data-failed="{html.escape(t("share.copy_failed", lang))}">'
        f'<p class="cp-share-label" id="{label_id}">{html.escape(t("plan.link", lang))}</p>'
        f'<code class="cp-share-link" aria-labelledby="{label_id}">{html.escape(link)}</code>'
        f'<button type="button" class="cp-share-copy">{html.escape(t("share.copy", lang))}</button>'
        '<span class="cp-share-status" role="status" aria-live="polite"></span></div>'
    )


def share_link(link: str, lang: str, box_id: str = "cp-share-plan") -> None:
    """Draw the link box (``share_html``) with its style and its one script."""
    st.html(SHARE_CSS + share_html(link, lang, box_id) + COPY_SCRIPT, unsafe_allow_javascript=True)
