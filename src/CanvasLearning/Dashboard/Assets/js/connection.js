// The connection indicator in the header: live, connecting, reconnecting, polling, ended, offline.
const LABELS = {
  idle: "not watching",
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
  polling: "polling every 5 s",
  ended: "session ended",
  offline: "offline",
};

export function setConnection(state, detail) {
  const el = document.getElementById("connection");
  el.dataset.state = state;
  el.querySelector(".label").textContent = LABELS[state] ?? state;
  el.title = detail || "";
}
