// Follows one session: the WebSocket (docs/protocol.md) with gap-free reconnects from the last seq
// handled, and REST polling every 5 s after 3 failed reconnects, going back to the socket as soon
// as it opens again.
import { api, socketUrl } from "./api.js";

const GIVE_UP = new Set([4001, 4003, 4004, 4400]);
const FAILED_RECONNECTS_BEFORE_POLLING = 3;
const POLL_MS = 5000;
const TERMINAL = new Set(["completed", "partial_failure", "failed", "cancelled"]);

export class SessionStream {
  /**
   * @param {string} sessionId
   * @param {object} handlers onConnected(data), onEvent(frame), onPoll(snapshot), onState(state, detail), onEnded(), onNotice(text)
   * @param {number|null} fromSeq replay after this seq (0: the whole log)
   */
  constructor(sessionId, handlers, fromSeq = 0) {
    this.sessionId = sessionId;
    this.handlers = handlers;
    this.lastSeq = fromSeq;
    this.ws = null;
    this.stopped = false;
    this.failedReconnects = 0;
    this.everConnected = false;
    this.attempted = false;
    this.pollTimer = null;
    this.retryTimer = null;
    this.state = "idle";
  }

  start() {
    this.setState("connecting");
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopPolling();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.setState("idle");
  }

  /** After a retry: follow the new run from the last seq handled. */
  resume() {
    if (this.stopped || this.ws) return;
    this.failedReconnects = 0;
    this.setState("connecting");
    this.connect();
  }

  setState(state, detail = "") {
    this.state = state;
    this.handlers.onState?.(state, detail);
  }

  connect() {
    clearTimeout(this.retryTimer);
    const ws = new WebSocket(socketUrl(this.sessionId, this.lastSeq));
    this.ws = ws;
    let opened = false;
    let retryAfter = 0;
    const isReconnect = this.attempted; // every attempt after the page's first one
    this.attempted = true;

    ws.onmessage = (message) => {
      if (this.ws !== ws) return;
      const frame = JSON.parse(message.data);
      switch (frame.type) {
        case "connected":
          opened = true;
          this.failedReconnects = 0;
          if (this.pollTimer !== null) this.handlers.onNotice?.(`socket back: following live from seq ${this.lastSeq}`);
          else if (this.everConnected) this.handlers.onNotice?.(`reconnected: replaying after seq ${this.lastSeq}`);
          this.everConnected = true;
          this.stopPolling();
          this.setState("live");
          this.handlers.onConnected?.(frame.data);
          return;
        case "ping":
          ws.send('{"type":"pong"}');
          return;
        case "pong":
          return;
        case "error":
          retryAfter = frame.data.retry_after ?? 0;
          this.handlers.onNotice?.(`server: ${frame.data.message}`);
          return;
        default:
          if (typeof frame.seq !== "number" || frame.seq <= this.lastSeq) return;
          this.lastSeq = frame.seq;
          this.handlers.onEvent?.(frame);
      }
    };

    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (GIVE_UP.has(e.code)) {
        this.stopPolling();
        this.setState("offline", `${e.code} ${e.reason}`);
        this.handlers.onNotice?.(`the server refused the socket: ${e.code} ${e.reason}`);
        return;
      }
      if (e.code === 1000) {
        this.stopPolling();
        this.setState("ended");
        this.handlers.onEnded?.();
        return;
      }
      if (this.pollTimer !== null) return; // polling: the next poll tries the socket again
      if (!opened && isReconnect) this.failedReconnects++;
      if (this.failedReconnects >= FAILED_RECONNECTS_BEFORE_POLLING) {
        this.startPolling();
        return;
      }
      this.setState("reconnecting", `after seq ${this.lastSeq}`);
      if (opened) this.handlers.onNotice?.(`connection lost (${e.code}); reconnecting after seq ${this.lastSeq}`);
      const backoff = Math.min(10_000, 500 * 2 ** this.failedReconnects) * (0.5 + Math.random() / 2);
      const delay = e.code === 4008 ? 0 : Math.max(backoff, retryAfter * 1000);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  startPolling() {
    this.setState("polling");
    this.handlers.onNotice?.(`the socket failed ${this.failedReconnects} times; polling every ${POLL_MS / 1000} s`);
    const tick = async () => {
      if (this.stopped || this.pollTimer === null) return;
      try {
        const snapshot = await api(`api/v1/canvas/intelligent-parallel/${encodeURIComponent(this.sessionId)}`);
        if (this.pollTimer === null) return;
        this.handlers.onPoll?.(snapshot);
        if (TERMINAL.has(snapshot.status) && !this.ws) {
          // Over, and the socket still refused: nothing more will happen until a retry.
          this.stopPolling();
          this.setState("ended", "polled");
          this.handlers.onEnded?.();
          return;
        }
      } catch (err) {
        this.handlers.onNotice?.(`poll failed: ${err.message}`);
      }
      if (this.pollTimer === null) return;
      if (!this.ws) this.connect(); // back to the socket when it opens
      this.pollTimer = setTimeout(tick, POLL_MS);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopPolling() {
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }
}
