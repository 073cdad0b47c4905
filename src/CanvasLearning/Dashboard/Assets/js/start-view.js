// Start a batch: pick a canvas and a color, analyze, check the proposed groups (change an agent,
// drop a node), confirm.
import { api, ApiError } from "./api.js";
import { bytes, h, when } from "./dom.js";
import { colorName, DEFAULT_COLOR, PRESETS, swatchClass } from "./colors.js";

const BASE = "api/v1/canvas/intelligent-parallel";
export const AGENT_TYPES = [
  "comparison-table", "oral-explanation", "memory-anchor", "example-teaching",
  "clarification-path", "deep-decomposition", "four-level-explanation", "basic-decomposition",
];

export function mountStart(main) {
  const alert = h("p", { class: "alert", role: "alert", id: "start-alert" });
  const list = h("ul", { class: "canvas-list", id: "canvas-list" }, h("li", { class: "muted" }, "Loading the vault's canvases…"));
  const color = h("select", { id: "color", name: "color" });
  const analyze = h("button", { type: "button", class: "primary", id: "analyze", disabled: true, onclick: onAnalyze }, "Analyze");
  const groupsBox = h("div", { id: "proposal" });
  let canvases = [];
  let proposal = null;

  main.replaceChildren(
    h("h1", {}, "Start a batch"),
    h("fieldset", {}, h("legend", {}, "1. Canvas"), list),
    h("div", { class: "card" },
      h("div", { class: "field" }, h("label", { for: "color" }, "2. Color of the concepts to explain"), color, analyze),
      h("p", { class: "muted" }, "The text nodes of this color are grouped by topic; each group gets an explanation agent.")),
    alert,
    groupsBox);
  fillColors(null);
  load();

  async function load() {
    try {
      const answer = await api("api/v1/vault/canvases");
      canvases = answer.canvases;
      list.replaceChildren(...(canvases.length ? canvases.map(canvasItem) : [h("li", { class: "muted" }, "No canvas in this vault.")]));
      if (answer.truncated) list.append(h("li", { class: "muted" }, "More canvases than listed (Dashboard:MaxCanvases)."));
    } catch (err) {
      list.replaceChildren(h("li", { class: "muted" }, "Could not list the canvases."));
      show(err);
    }
  }

  function canvasItem(c, i) {
    const id = `canvas-${i}`;
    const radio = h("input", { type: "radio", name: "canvas", id, value: c.path, onchange: () => pick(c) });
    const chips = c.colors.map((x) =>
      h("span", { class: "chip", dataset: { color: x.color ?? "" } }, h("span", { class: swatchClass(x.color), "aria-hidden": "true" }), `${colorName(x.color)}: ${x.text_nodes}`));
    return h("li", {},
      h("label", { for: id },
        radio,
        h("span", { class: "path" }, c.path),
        h("span", { class: "muted" }, `${bytes(c.size)} · ${when(c.modified_at)} · ${c.text_nodes} text nodes`),
        c.error ? h("span", { class: "error" }, c.error) : h("span", { class: "chips" }, chips)));
  }

  function pick(c) {
    fillColors(c);
    analyze.disabled = false;
    groupsBox.replaceChildren();
    proposal = null;
  }

  function fillColors(c) {
    const counts = new Map((c?.colors ?? []).map((x) => [x.color, x.text_nodes]));
    const keep = color.value || DEFAULT_COLOR;
    const options = PRESETS.map((p) => h("option", { value: p.value }, `${p.value} · ${p.name}${c ? ` (${counts.get(p.value) ?? 0})` : ""}`));
    for (const [value, n] of counts) {
      if (value && !PRESETS.some((p) => p.value === value)) options.push(h("option", { value }, `${value} (${n})`));
    }
    color.replaceChildren(...options);
    color.value = keep;
  }

  function selectedCanvas() {
    return main.querySelector('input[name="canvas"]:checked')?.value ?? null;
  }

  async function onAnalyze() {
    const canvasPath = selectedCanvas();
    if (!canvasPath) return;
    alert.textContent = "";
    analyze.disabled = true;
    groupsBox.replaceChildren(h("p", { class: "muted" }, "Analyzing…"));
    try {
      proposal = await api(BASE, { method: "POST", body: { canvas_path: canvasPath, target_color: color.value } });
      renderProposal();
    } catch (err) {
      groupsBox.replaceChildren();
      show(err);
    } finally {
      analyze.disabled = false;
    }
  }

  function renderProposal() {
    const p = proposal;
    if (p.groups.length === 0) {
      groupsBox.replaceChildren(h("p", { id: "no-groups" }, `No text node of color ${colorName(color.value)} on ${p.canvas_path}.`));
      return;
    }
    const maxConcurrent = h("input", { type: "number", id: "max-concurrent", min: 1, max: 50, placeholder: "server default" });
    const start = h("button", { type: "button", class: "primary", id: "confirm", onclick: () => onConfirm(maxConcurrent) }, "Start the batch");
    groupsBox.replaceChildren(
      h("h2", {}, `3. Proposed groups: ${p.groups.length} groups, ${p.total_nodes} nodes`),
      h("p", { class: "muted" }, `About ${p.estimated_duration} s · silhouette ${p.silhouette_score}`),
      p.resource_warning ? h("p", { class: "alert" }, p.resource_warning) : null,
      ...p.groups.map(groupEditor),
      h("div", { class: "actions" },
        h("label", { for: "max-concurrent" }, "At most at once"), maxConcurrent, start));
    groupsBox.querySelector("h2").setAttribute("tabindex", "-1");
    groupsBox.querySelector("h2").focus();
  }

  function groupEditor(g) {
    const agentId = `agent-${g.group_id}`;
    const agent = h("select", { id: agentId, class: "agent", dataset: { groupId: g.group_id } },
      ...AGENT_TYPES.map((a) => h("option", { value: a, selected: a === g.recommended_agent }, a === g.recommended_agent ? `${a} (recommended)` : a)));
    return h("fieldset", { class: "group", dataset: { groupId: g.group_id } },
      h("legend", {}, `${g.group_emoji} ${g.group_name}`),
      h("div", { class: "group-meta" },
        h("span", {}, `${g.group_id}`),
        h("span", {}, `recommended: ${g.recommended_agent}`),
        h("span", {}, `confidence ${Math.round(g.confidence * 100)}%`),
        h("span", {}, `priority ${g.priority}`)),
      h("div", { class: "field" }, h("label", { for: agentId }, "Agent"), agent),
      ...g.nodes.map((n) => {
        const id = `node-${g.group_id}-${n.node_id}`;
        return h("div", { class: "node-pick" },
          h("input", { type: "checkbox", id, checked: true, class: "node", dataset: { nodeId: n.node_id } }),
          h("label", { for: id }, n.text));
      }));
  }

  async function onConfirm(maxConcurrent) {
    alert.textContent = "";
    const groups = [...groupsBox.querySelectorAll("fieldset.group")].map((box) => ({
      group_id: box.dataset.groupId,
      agent_type: box.querySelector("select.agent").value,
      node_ids: [...box.querySelectorAll("input.node:checked")].map((x) => x.dataset.nodeId),
    })).filter((g) => g.node_ids.length > 0);
    if (groups.length === 0) {
      alert.textContent = "Every node is dropped: keep at least one.";
      return;
    }
    const body = { canvas_path: proposal.canvas_path, groups };
    if (maxConcurrent.value) body.max_concurrent = Number(maxConcurrent.value);
    const button = groupsBox.querySelector("#confirm");
    button.disabled = true;
    try {
      const answer = await api(`${BASE}/confirm`, { method: "POST", body });
      location.hash = `#/session/${encodeURIComponent(answer.session_id)}`;
    } catch (err) {
      show(err);
      button.disabled = false;
    }
  }

  function show(err) {
    alert.textContent = err instanceof ApiError ? `${err.message} (${err.problem?.error ?? err.status})` : String(err.message ?? err);
  }

  return { destroy() {} };
}
