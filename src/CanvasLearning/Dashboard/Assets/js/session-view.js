// One session, live: overall and per-group bars, every node with its state, the event log, the
// connection state, elapsed time and an estimate of what is left; cancel, retry, results.
import { api, ApiError } from "./api.js";
import { bar, duration, h, when } from "./dom.js";
import { SessionModel, TERMINAL } from "./session-model.js";
import { SessionStream } from "./stream.js";
import { showNote } from "./note-view.js";
import { setConnection } from "./connection.js";

const BASE = "api/v1/canvas/intelligent-parallel";
const REFRESH_MS = 2000; // at most one snapshot refresh per 2 s while events arrive
// With no event for a while, the snapshot is refreshed anyway so `running` shows (no event says a
// node started): soon while nothing is known to run yet, seldom once calls are under way.
const STARTING_REFRESH_MS = 2000;
const QUIET_REFRESH_MS = 10000;
const LOG_LIMIT = 2000;
const LABELS = { pending: "waiting", running: "running", completed: "done", failed: "failed", cancelled: "cancelled" };

export function mountSession(main, sessionId, params) {
  const model = new SessionModel();
  const titles = new Map();
  const nodeRows = new Map();
  const groupParts = new Map();
  let destroyed = false;

  const status = h("span", { class: "session-status", id: "session-status" }, "loading");
  const overall = bar("Overall progress", true);
  const facts = {
    done: h("dd", { id: "fact-done" }, "—"),
    failed: h("dd", { id: "fact-failed" }, "—"),
    elapsed: h("dd", { id: "fact-elapsed" }, "—"),
    left: h("dd", { id: "fact-left" }, "—"),
  };
  const alert = h("p", { class: "alert", role: "alert" });
  const cancel = h("button", { type: "button", class: "danger", id: "cancel", hidden: true, onclick: onCancel }, "Cancel session");
  const retry = h("button", { type: "button", class: "primary", id: "retry", hidden: true, onclick: onRetry }, "Retry failed nodes");
  const groupsBox = h("div", { id: "groups" });
  const log = h("ol", { class: "log", id: "event-log", "aria-label": "Events, newest first" });
  const noteBox = h("section", { class: "card", id: "note", hidden: true, "aria-labelledby": "note-title" });

  main.replaceChildren(
    h("h1", {}, "Session ", h("code", {}, sessionId)),
    h("div", { class: "card" },
      h("p", { id: "session-canvas", class: "muted" }, ""),
      h("p", {}, "Status: ", status),
      overall.el,
      h("dl", { class: "summary" },
        h("div", {}, h("dt", {}, "Done"), facts.done),
        h("div", {}, h("dt", {}, "Failed"), facts.failed),
        h("div", {}, h("dt", {}, "Elapsed"), facts.elapsed),
        h("div", {}, h("dt", {}, "Time left (estimate)"), facts.left)),
      h("div", { class: "actions" }, cancel, retry),
      alert),
    noteBox,
    h("div", { class: "two" },
      h("section", { "aria-labelledby": "groups-title" }, h("h2", { id: "groups-title" }, "Groups and nodes"), groupsBox),
      h("section", { "aria-labelledby": "log-title", class: "card" }, h("h2", { id: "log-title" }, "Event log"), log)));

  // Snapshot refreshes: serialized (one in flight), at most every REFRESH_MS, the last request kept.
  let lastRefresh = 0;
  let refreshTimer = null;
  let inFlight = false;
  let again = false;
  function requestRefresh(now = false) {
    if (destroyed) return;
    if (inFlight) {
      again = true;
      return;
    }
    if (refreshTimer !== null) {
      if (!now) return;
      clearTimeout(refreshTimer);
    }
    const wait = now ? 0 : Math.max(0, lastRefresh + REFRESH_MS - Date.now());
    refreshTimer = setTimeout(refresh, wait);
  }

  async function refresh() {
    refreshTimer = null;
    lastRefresh = Date.now();
    inFlight = true;
    try {
      const snapshot = await api(`${BASE}/${encodeURIComponent(sessionId)}`);
      if (!destroyed && model.applySnapshot(snapshot)) render();
      // Running again after the socket said "ended" (a retry, from here or elsewhere): follow it.
      if (!destroyed && stream.state === "ended" && !TERMINAL.has(snapshot.status)) stream.resume();
    } catch (err) {
      if (!destroyed) showError(err);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        requestRefresh();
      }
    }
  }

  const stream = new SessionStream(sessionId, {
    onConnected: () => requestRefresh(true),
    onEvent: (frame) => {
      if (!model.addEvent(frame)) return;
      logEvent(frame);
      scheduleRender();
      requestRefresh(frame.type === "session_completed");
    },
    onPoll: (snapshot) => {
      if (model.applySnapshot(snapshot)) render();
    },
    onState: (state, detail) => setConnection(state, detail),
    onEnded: () => requestRefresh(true),
    onNotice: (text) => logNotice(text),
  });

  const ticker = setInterval(() => {
    const v = model.view();
    if (!v) return;
    renderTimes(v);
    if (TERMINAL.has(v.status) || stream.state !== "live") return;
    const nodes = v.groups.flatMap((g) => g.nodes);
    const starting = nodes.some((n) => n.status === "pending") && !nodes.some((n) => n.status === "running");
    if (Date.now() - lastRefresh > (starting ? STARTING_REFRESH_MS : QUIET_REFRESH_MS)) requestRefresh();
  }, 1000);

  (async () => {
    try {
      const snapshot = await api(`${BASE}/${encodeURIComponent(sessionId)}`);
      lastRefresh = Date.now();
      if (destroyed) return;
      model.applySnapshot(snapshot);
      render();
      stream.start();
      if (params.get("note")) openNote(params.get("note"));
    } catch (err) {
      showError(err);
      setConnection("offline", "");
    }
  })();

  // Events come in bursts (a replay): draw at most every 50 ms.
  let renderTimer = null;
  function scheduleRender() {
    renderTimer ??= setTimeout(() => {
      renderTimer = null;
      if (!destroyed) render();
    }, 50);
  }

  function render() {
    const v = model.view();
    if (!v) return;
    document.getElementById("session-canvas").textContent = `Canvas ${v.canvas_path} · created ${when(v.created_at)}`;
    status.textContent = v.status;
    status.dataset.status = v.status;
    main.dataset.status = v.status;
    const cancelled = v.groups.reduce((n, g) => n + g.nodes.filter((x) => x.status === "cancelled").length, 0);
    const finishedText = `${v.completed} done, ${v.failed} failed of ${v.total}`;
    overall.set(v.completed, v.failed, v.total, `${v.progress_percent}% finished: ${finishedText}`);
    facts.done.textContent = `${v.completed} of ${v.total}`;
    facts.failed.textContent = String(v.failed);
    cancel.hidden = TERMINAL.has(v.status);
    retry.hidden = !(TERMINAL.has(v.status) && v.failed + cancelled > 0);
    for (const g of v.groups) renderGroup(g);
    renderTimes(v);
  }

  function renderGroup(g) {
    let parts = groupParts.get(g.group_id);
    if (!parts) {
      const groupBar = bar(`Group ${g.group_id}`);
      const counts = h("span", { class: "group-counts" });
      const list = h("ul", { class: "nodes" });
      const box = h("section", { class: "card group", dataset: { groupId: g.group_id } },
        h("h3", {}, `${g.group_id} · ${g.agent_type}`),
        h("div", { class: "group-meta" }, counts),
        groupBar.el, list);
      groupsBox.append(box);
      parts = { groupBar, counts, list };
      groupParts.set(g.group_id, parts);
    }
    parts.counts.textContent = `${g.completed} done, ${g.failed} failed of ${g.total}`;
    parts.groupBar.set(g.completed, g.failed, g.total, parts.counts.textContent);
    for (const n of g.nodes) renderNode(n, parts.list);
  }

  function renderNode(n, list) {
    titles.set(n.node_id, n.title);
    let row = nodeRows.get(n.node_id);
    if (!row) {
      row = {
        li: h("li", { dataset: { nodeId: n.node_id } }),
        badge: h("span", { class: "status-badge" }),
        title: h("span", { class: "title" }, n.title),
        extra: h("span", { class: "extra" }),
      };
      row.li.append(row.badge, row.title, row.extra);
      list.append(row.li);
      nodeRows.set(n.node_id, row);
    }
    const key = `${n.status}|${n.file_path}|${n.error_message}`;
    if (row.key === key) return;
    row.key = key;
    row.li.dataset.status = n.status;
    row.badge.textContent = LABELS[n.status] ?? n.status;
    if (n.status === "completed" && n.file_path) {
      const q = new URLSearchParams({ note: n.file_path });
      row.extra.replaceChildren(h("a", { class: "result", href: `#/session/${encodeURIComponent(sessionId)}?${q}` }, "Open result"));
    } else if (n.status === "failed") {
      row.extra.replaceChildren(h("p", { class: "error" }, `${n.error_type ?? "error"}: ${n.error_message ?? ""}`));
    } else {
      row.extra.replaceChildren();
    }
  }

  function renderTimes(v) {
    const start = v.started_at ? Date.parse(v.started_at) : null;
    const over = TERMINAL.has(v.status);
    let elapsed = null;
    if (over && v.total_duration !== null) elapsed = v.total_duration * 1000;
    else if (start !== null) elapsed = (over && v.completed_at ? Date.parse(v.completed_at) : Date.now()) - start;
    facts.elapsed.textContent = duration(elapsed);
    const finished = v.completed + v.failed;
    if (over) facts.left.textContent = "none: ended";
    else if (elapsed !== null && finished > 0 && finished < v.total) facts.left.textContent = `about ${duration((elapsed / finished) * (v.total - finished))}`;
    else facts.left.textContent = "—";
  }

  function logEvent(frame) {
    const d = frame.data;
    const name = (id) => titles.get(id) ?? id;
    let text;
    switch (frame.type) {
      case "progress_update":
        text = d.group_id
          ? `progress ${d.progress_percent}%: ${d.completed_nodes} done, ${d.failed_nodes} failed of ${d.total_nodes} (group ${d.group_id}: ${d.group_completed_nodes}/${d.group_total_nodes})`
          : `session (re)started: ${d.completed_nodes} done, ${d.failed_nodes} failed of ${d.total_nodes}`;
        break;
      case "task_completed":
        text = `done: ${name(d.node_id)} → ${d.file_path} (${d.agent_type}, ${d.duration_ms} ms)`;
        break;
      case "task_failed":
        text = `failed: ${name(d.node_id)}: ${d.error_type}: ${d.error_message}`;
        break;
      case "group_completed":
        text = `group ${d.group_id} finished: ${d.completed_nodes} done, ${d.failed_nodes} failed`;
        break;
      case "session_completed":
        text = `session ${d.status} after ${d.total_duration} s: ${d.success_count} done, ${d.failure_count} failed`;
        break;
      default:
        text = frame.type;
    }
    const time = new Date(frame.timestamp).toLocaleTimeString();
    log.prepend(h("li", { dataset: { seq: frame.seq, type: frame.type } }, `#${frame.seq} ${time} ${text}`));
    while (log.childElementCount > LOG_LIMIT) log.lastElementChild.remove();
  }

  function logNotice(text) {
    log.prepend(h("li", { class: "notice" }, `${new Date().toLocaleTimeString()} ${text}`));
  }

  function showError(err) {
    alert.textContent = err instanceof ApiError ? `${err.message} (${err.problem?.error ?? err.status})` : String(err.message ?? err);
  }

  async function onCancel() {
    cancel.disabled = true;
    alert.textContent = "";
    try {
      const answer = await api(`${BASE}/cancel/${encodeURIComponent(sessionId)}`, { method: "POST" });
      logNotice(answer.message);
    } catch (err) {
      showError(err);
    } finally {
      cancel.disabled = false;
      requestRefresh(true);
    }
  }

  async function onRetry() {
    retry.disabled = true;
    alert.textContent = "";
    try {
      await api(`${BASE}/${encodeURIComponent(sessionId)}/retry`, { method: "POST" });
      logNotice(`retry started; following from seq ${stream.lastSeq}`);
      stream.resume();
    } catch (err) {
      showError(err);
    } finally {
      retry.disabled = false;
      requestRefresh(true);
    }
  }

  async function openNote(path) {
    await showNote(noteBox, path, `#/session/${encodeURIComponent(sessionId)}`);
  }

  return {
    sessionId,
    update(next) {
      const path = next.get("note");
      if (path) openNote(path);
      else noteBox.hidden = true;
    },
    destroy() {
      destroyed = true;
      clearInterval(ticker);
      clearTimeout(refreshTimer);
      clearTimeout(renderTimer);
      stream.stop();
      setConnection("idle", "");
    },
  };
}
