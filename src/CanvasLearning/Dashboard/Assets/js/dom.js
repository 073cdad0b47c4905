// Small DOM helpers: elements are built with h(), never from HTML strings (the one exception is a
// note the server rendered and sanitized, in note-view.js).

/** h("li", { class: "x", dataset: { seq: 3 }, onclick: f }, "text", child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A bar of done (green) and failed (red) parts, as a progressbar for assistive technology. */
export function bar(label, big = false) {
  const ok = h("span", { class: "ok" });
  const bad = h("span", { class: "bad" });
  const el = h("div", { class: big ? "bar big" : "bar", role: "progressbar", "aria-label": label, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0 }, ok, bad);
  return {
    el,
    set(done, failed, total, text) {
      const pct = (n) => (total > 0 ? (100 * n) / total : 0);
      ok.style.width = `${pct(done)}%`;
      bad.style.width = `${pct(failed)}%`;
      el.setAttribute("aria-valuenow", String(Math.round(pct(done + failed))));
      el.setAttribute("aria-valuetext", text);
    },
  };
}
