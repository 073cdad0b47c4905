// The state of one session as the page shows it: the latest REST snapshot (state up to its
// last_seq) with the events logged after it applied on top. Events are kept in seq order, once.
export const TERMINAL = new Set(["completed", "partial_failure", "failed", "cancelled"]);

export class SessionModel {
  constructor() {
    this.snapshot = null;
    this.events = []; // events after the snapshot's last_seq, seq ascending, each once
    this.maxSeq = 0;
  }

  /** Takes a snapshot unless it is older than the one held. */
  applySnapshot(snapshot) {
    if (this.snapshot && snapshot.last_seq < this.snapshot.last_seq) return false;
    this.snapshot = snapshot;
    // What the snapshot includes is no longer needed to draw the state.
    this.events = this.events.filter((e) => e.seq > snapshot.last_seq);
    return true;
  }

  addEvent(frame) {
    if (frame.seq <= this.maxSeq) return false;
    this.maxSeq = frame.seq;
    if (!this.snapshot || frame.seq > this.snapshot.last_seq) this.events.push(frame);
    return true;
  }

  /** What to draw: status, counts, groups with their nodes. */
  view() {
    const s = this.snapshot;
    if (!s) return null;
    const groups = new Map();
    const nodes = new Map();
    for (const g of s.groups) {
      const group = {
        group_id: g.group_id,
        agent_type: g.agent_type,
        total: g.total_nodes,
        completed: g.completed_nodes,
        failed: g.nodes.filter((n) => n.status === "failed").length,
        nodes: [],
      };
      for (const n of g.nodes) {
        const node = { ...n, group_id: g.group_id };
        group.nodes.push(node);
        nodes.set(n.node_id, node);
      }
      groups.set(g.group_id, group);
    }

    const view = {
      session_id: s.session_id,
      canvas_path: s.canvas_path,
      status: s.status,
      total: s.total_nodes,
      completed: s.completed_nodes,
      failed: s.failed_nodes,
      progress_percent: s.progress_percent,
      created_at: s.created_at,
      started_at: s.started_at,
      completed_at: s.completed_at,
      total_duration: s.performance_metrics?.total_duration_seconds ?? null,
      groups: [...groups.values()],
    };

    for (const e of this.events) {
      if (e.seq <= s.last_seq) continue;
      const d = e.data;
      switch (e.type) {
        case "task_completed": {
          const node = nodes.get(d.node_id);
          if (node) Object.assign(node, { status: "completed", file_path: d.file_path, error_type: null, error_message: null });
          break;
        }
        case "task_failed": {
          const node = nodes.get(d.node_id);
          if (node) Object.assign(node, { status: "failed", error_type: d.error_type, error_message: d.error_message });
          break;
        }
        case "progress_update": {
          Object.assign(view, { completed: d.completed_nodes, failed: d.failed_nodes, total: d.total_nodes, progress_percent: d.progress_percent });
          if (view.status === "pending" || TERMINAL.has(view.status)) view.status = "running";
          const group = d.group_id ? groups.get(d.group_id) : null;
          if (group && d.group_total_nodes !== null && d.group_total_nodes !== undefined) {
            Object.assign(group, { completed: d.group_completed_nodes, failed: d.group_failed_nodes, total: d.group_total_nodes });
          }
          break;
        }
        case "session_completed":
          view.status = d.status;
          view.total_duration = d.total_duration;
          break;
        default:
          break;
      }
    }
    return view;
  }
}
