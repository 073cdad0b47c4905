// REST calls to this server, with the API key when it needs one (asked once, kept in sessionStorage).
const KEY = "canvas-learning.api-key";
let config = null;
let asking = null;

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `the server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

/** Reads /dashboard/config once; asks for the key before the first call when the server needs one. */
export async function ensureKey() {
  config ??= await (await fetch("dashboard/config")).json();
  if (config.api_key_required && !apiKey()) await askForKey();
}

export async function api(path, { method = "GET", body } = {}) {
  await ensureKey();
  for (;;) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const key = apiKey();
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { detail: text };
    }
    if (response.status === 401) {
      sessionStorage.removeItem(KEY);
      await askForKey("That key was refused; type the server's API key.");
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
}

/** The socket URL of a session, with last_seq and the key as access_token. */
export function socketUrl(sessionId, lastSeq) {
  const q = new URLSearchParams();
  if (lastSeq !== null && lastSeq !== undefined) q.set("last_seq", String(lastSeq));
  const key = apiKey();
  if (key) q.set("access_token", key);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/api/v1/ws/intelligent-parallel/${encodeURIComponent(sessionId)}?${q}`;
}

function askForKey(message) {
  asking ??= new Promise((resolve) => {
    const dialog = document.getElementById("key-dialog");
    const form = document.getElementById("key-form");
    const input = document.getElementById("key-input");
    if (message) document.getElementById("key-message").textContent = message;
    input.value = "";
    form.addEventListener("submit", function onSubmit(e) {
      e.preventDefault();
      if (!input.value.trim()) return;
      sessionStorage.setItem(KEY, input.value.trim());
      form.removeEventListener("submit", onSubmit);
      dialog.close();
      asking = null;
      resolve();
    });
    // The key is needed to go on: Escape does not close the dialog.
    dialog.oncancel = (e) => e.preventDefault();
    dialog.showModal();
    input.focus();
  });
  return asking;
}
