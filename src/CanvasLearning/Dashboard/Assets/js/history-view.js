// Past sessions, newest first, a page at a time.
import { api } from "./api.js";
import { h, when } from "./dom.js";

export function mountHistory(main, params) {
  const page = Math.max(1, Number(params.get("page")) || 1);
  const size = Math.min(100, Math.max(1, Number(params.get("size")) || 20));
  const body = h("tbody", { id: "session-rows" });
  const info = h("span", { id: "page-info", class: "muted" }, "");
  const prev = h("button", { type: "button", id: "prev-page", disabled: page <= 1, onclick: () => go(page - 1) }, "Newer");
  const next = h("button", { type: "button", id: "next-page", disabled: true, onclick: () => go(page + 1) }, "Older");
  const alert = h("p", { class: "alert", role: "alert" });
  main.replaceChildren(
    h("h1", {}, "Sessions"),
    alert,
    h("table", {},
      h("thead", {}, h("tr", {}, ...["Session", "Canvas", "Status", "Nodes", "Created"].map((t) => h("th", { scope: "col" }, t)))),
      body),
    h("div", { class: "actions" }, prev, info, next));

  (async () => {
    try {
      const answer = await api(`api/v1/canvas/intelligent-parallel?${new URLSearchParams({ page, page_size: size })}`);
      const pages = Math.max(1, Math.ceil(answer.total / answer.page_size));
      info.textContent = `page ${answer.page} of ${pages} · ${answer.total} sessions`;
      next.disabled = answer.page >= pages;
      body.replaceChildren(...(answer.sessions.length ? answer.sessions.map(row) : [h("tr", {}, h("td", { colspan: 5 }, "No session yet."))]));
    } catch (err) {
      alert.textContent = err.message;
    }
  })();

  function row(s) {
    return h("tr", { dataset: { sessionId: s.session_id, status: s.status } },
      h("td", {}, h("a", { href: `#/session/${encodeURIComponent(s.session_id)}` }, s.session_id)),
      h("td", {}, s.canvas_path),
      h("td", {}, s.status),
      h("td", {}, `${s.completed_nodes} done, ${s.failed_nodes} failed of ${s.total_nodes}`),
      h("td", {}, when(s.created_at)));
  }

  function go(p) {
    location.hash = `#/sessions?${new URLSearchParams({ page: p, size })}`;
  }

  return { destroy() {} };
}
