// The adjudication panes: each annotator's version of the document (and gold) side by side, the difference under
// decision outlined in every pane and scrolled into view, and one key per decision.  Reports ACTIONS to Python
// (next, prev, goto, take, both, reject), each naming the difference it was pressed on; Python decides and sends
// the new state back.
//
// Safety: document text and labels reach the DOM only through text nodes and textContent, never innerHTML.
// Streamlit calls this function again on every data change with the same parentElement: per-instance state lives
// in a WeakMap and listeners are attached once.  Offsets are UTF-16 code units (JavaScript string indices).

const INSTANCES = new WeakMap();

// Physical keys (KeyboardEvent.code), so a Persian or Arabic layout works like a Latin one.
const KEYS = {
  KeyJ: "next", ArrowDown: "next", KeyK: "prev", ArrowUp: "prev",
  KeyB: "both", KeyX: "reject", Delete: "reject",
};

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function init(parentElement) {
  let root = parentElement.querySelector(".annot-adj");
  if (!root) {
    root = el("div", "annot-adj");
    root.tabIndex = 0;
    for (const c of ["annot-adj-keys", "annot-adj-legend", "annot-adj-status", "annot-adj-head"]) {
      root.appendChild(el("div", c));
    }
    const body = el("div", "annot-adj-body");
    body.appendChild(el("div", "annot-adj-grid"));
    root.appendChild(body);
    parentElement.appendChild(root);
  }
  const st = {
    root,
    keys: root.querySelector(".annot-adj-keys"),
    legend: root.querySelector(".annot-adj-legend"),
    status: root.querySelector(".annot-adj-status"),
    head: root.querySelector(".annot-adj-head"),
    body: root.querySelector(".annot-adj-body"),
    grid: root.querySelector(".annot-adj-grid"),
    client: Math.random().toString(36).slice(2, 10),
    seq: 0,
    queue: [],
    data: null,
    renderKey: null,
    scrolledTo: null,
    send: null,
  };
  st.onKey = (ev) => onKey(st, ev);
  document.addEventListener("keydown", st.onKey, true);
  st.grid.addEventListener("click", (ev) => {
    const m = ev.target.closest(".annot-adj-m");
    if (m && m.dataset.group) emit(st, { type: "goto", group: m.dataset.group });
  });
  return st;
}

// ---- rendering ------------------------------------------------------------------------------------------------

function paragraphs(text) {
  const out = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === "\n") {
      out.push([start, i]);
      start = i + 1;
    }
  }
  return out;
}

function cell(text, pStart, pEnd, marks, focus) {
  const cuts = new Set([pStart, pEnd]);
  const inside = (s, e) => s < pEnd && pStart < e;
  const mine = marks.filter((m) => inside(m.start, m.end));
  const foc = focus.filter(([s, e]) => inside(s, e));
  for (const m of mine) cuts.add(Math.max(pStart, m.start)).add(Math.min(pEnd, m.end));
  for (const [s, e] of foc) cuts.add(Math.max(pStart, s)).add(Math.min(pEnd, e));
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a >= b) continue;
    const node = document.createTextNode(text.slice(a, b));
    const covering = mine.filter((m) => m.start <= a && b <= m.end)
      .sort((x, y) => x.end - x.start - (y.end - y.start) || x.start - y.start);
    const focused = foc.some(([s, e]) => s <= a && b <= e);
    if (!covering.length && !focused) {
      frag.appendChild(node);
      continue;
    }
    const span = el("span", covering.length ? `annot-adj-m k-${covering[0].kind}` : "");
    if (focused) span.classList.add("annot-adj-focus");
    if (covering.length) {
      span.title = covering.map((m) => `${m.label} (${m.kind})`).join(" / ");
      const g = covering.find((m) => m.group);
      if (g) span.dataset.group = g.group;
    }
    span.appendChild(node);
    frag.appendChild(span);
  }
  if (pStart === pEnd) frag.appendChild(document.createTextNode("\u200b"));
  return frag;
}

function render(st) {
  const { text, panes, focus, dir, lang } = st.data;
  st.root.style.setProperty("--panes", String(panes.length));
  st.root.style.setProperty("--height", `${st.data.height || 420}px`);
  st.head.replaceChildren();
  for (const p of panes) {
    const h = el("div", "annot-adj-title");
    h.appendChild(el("span", "", p.title));
    if (p.key) h.appendChild(el("span", "annot-adj-side", `  (${p.key})`));
    st.head.appendChild(h);
  }
  const frag = document.createDocumentFragment();
  for (const [s, e] of paragraphs(text)) {
    for (const p of panes) {
      const c = el("div", "annot-adj-cell" + (p.gold ? " annot-adj-gold" : ""));
      c.dir = dir;
      c.lang = lang;
      c.appendChild(cell(text, s, e, p.marks, focus || []));
      frag.appendChild(c);
    }
  }
  st.grid.replaceChildren(frag);
}

function renderLegend(st) {
  st.legend.replaceChildren();
  for (const [kind, name] of st.data.legend || []) st.legend.appendChild(el("span", `annot-adj-m k-${kind}`, name));
}

function renderKeys(st) {
  st.keys.replaceChildren();
  if (!st.data.keys) return;
  const parts = [["j", "↓"], "next", ["k", "↑"], "previous"];
  for (const p of st.data.panes) if (p.key) parts.push([p.key], `take ${p.title}`);
  parts.push(["b"], "both", ["x", "Del"], "reject");
  for (const p of parts) {
    if (Array.isArray(p)) {
      p.forEach((k, i) => {
        if (i) st.keys.appendChild(document.createTextNode("/"));
        st.keys.appendChild(el("kbd", "", k));
      });
    } else {
      st.keys.appendChild(document.createTextNode(` ${p} · `));
    }
  }
  st.keys.lastChild.textContent = st.keys.lastChild.textContent.replace(/ · $/, "");
}

// Bring the difference under decision into view inside the scroll box (not the page).
function scrollToFocus(st) {
  const target = st.grid.querySelector(".annot-adj-focus");
  if (!target || st.scrolledTo === st.data.current) return;
  st.scrolledTo = st.data.current;
  const box = st.body.getBoundingClientRect();
  const r = target.getBoundingClientRect();
  if (r.top < box.top + 8 || r.bottom > box.bottom - 8) {
    st.body.scrollTop += r.top - box.top - box.height / 3;
  }
}

// ---- keys and actions -----------------------------------------------------------------------------------------

function typing(target) {
  if (!target || !(target instanceof Element)) return false;
  if (target.closest(".annot-labeler")) return true; // the gold labeler has its own keys
  return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
}

function onKey(st, ev) {
  if (!st.data || !st.data.keys || !st.root.isConnected) return;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
  let type = KEYS[ev.code];
  let side = null;
  const pane = st.data.panes.find((p) => p.codes && p.codes.includes(ev.code));
  if (pane) {
    type = "take";
    side = pane.name;
  }
  if (!type) return;
  ev.preventDefault();
  ev.stopPropagation();
  if (!st.data.current && type !== "next" && type !== "prev") {
    setStatus(st, "no difference selected");
    return;
  }
  // A move is relative to where Python is (keys pressed faster than the page redraws add up); a decision names
  // the difference the curator is looking at.
  emit(st, { type, side, group: type === "next" || type === "prev" ? null : st.data.current });
}

function emit(st, action) {
  st.seq += 1;
  st.queue.push({ ...action, seq: st.seq });
  // Every trigger carries all unacknowledged actions: Streamlit keeps only the last value of a trigger per run.
  st.send("actions", { client: st.client, doc_id: st.data.doc_id, actions: st.queue.slice() });
}

function setStatus(st, msg) {
  st.status.textContent = msg || "";
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let st = INSTANCES.get(parentElement);
  if (!st) {
    st = init(parentElement);
    INSTANCES.set(parentElement, st);
  }
  st.send = setTriggerValue;
  st.data = data;
  const ack = (data.ack && data.ack[st.client]) || 0;
  st.queue = st.queue.filter((a) => a.seq > ack);
  st.root.dataset.docId = data.doc_id;
  st.root.dataset.current = data.current || "";
  const key = JSON.stringify([data.doc_id, data.text.length, data.panes, data.focus]);
  if (key !== st.renderKey) {
    render(st);
    st.renderKey = key;
  }
  renderKeys(st);
  renderLegend(st);
  scrollToFocus(st);
  setStatus(st, data.status);
  return () => {
    document.removeEventListener("keydown", st.onKey, true);
    INSTANCES.delete(parentElement);
  };
}
