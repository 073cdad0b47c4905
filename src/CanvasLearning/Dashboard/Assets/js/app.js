// Hash routing: #/ starts a batch, #/sessions lists them, #/session/{id}[?note=path] watches one.
import { ensureKey } from "./api.js";
import { mountHistory } from "./history-view.js";
import { mountSession } from "./session-view.js";
import { mountStart } from "./start-view.js";

const main = document.getElementById("main");
let current = null;

function parse() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?", 2);
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

function route() {
  const { parts, params } = parse();
  if (parts[0] === "session" && parts[1]) {
    if (current?.sessionId === parts[1]) {
      current.update(params);
      return;
    }
    show(() => mountSession(main, parts[1], params), "sessions");
  } else if (parts[0] === "sessions") {
    show(() => mountHistory(main, params), "sessions");
  } else {
    show(() => mountStart(main), "start");
  }
}

function show(mount, nav) {
  current?.destroy();
  current = mount();
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.nav === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
await ensureKey();
route();
