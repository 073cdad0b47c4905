// A result note, rendered by the server (Markdig) and sanitized there (no script, no handlers,
// no remote images): the one place HTML from the server goes into the page.
import { api } from "./api.js";
import { bytes, h, when } from "./dom.js";

export async function showNote(box, path, closeHref) {
  const title = h("h2", { id: "note-title", tabindex: "-1" }, path);
  const body = h("div", { class: "note", id: "note-body" }, h("p", { class: "muted" }, "Loading…"));
  box.replaceChildren(
    h("div", { class: "actions" }, title, h("a", { href: closeHref, class: "close-note" }, "Close")),
    body);
  box.hidden = false;
  title.focus();
  try {
    const note = await api(`api/v1/vault/render?${new URLSearchParams({ path })}`);
    body.innerHTML = note.html;
    body.prepend(h("p", { class: "muted" }, `${bytes(note.size)} · modified ${when(note.modified_at)} · read-only`));
    box.dataset.path = note.path;
  } catch (err) {
    body.replaceChildren(h("p", { class: "alert", role: "alert" }, err.message));
  }
}
