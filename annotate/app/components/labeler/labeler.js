// The span labeler: renders a document (RTL for fa/prs/ar) with its marks and reports the annotator's ACTIONS
// to Python (create, set_type, delete, accept, reject, link, select, save), with offsets in UTF-16 code units as
// the DOM counts them.  Python converts offsets to code points, applies the action and sends the new marks back.
//
// Safety: document text and label names reach the DOM only through text nodes and textContent, never innerHTML.
// Streamlit calls this function again on every data change with the same parentElement, so per-instance state
// lives in a WeakMap and listeners are attached once.

const INSTANCES = new WeakMap();

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function init(parentElement) {
  let root = parentElement.querySelector(".annot-labeler");
  if (!root) {
    root = el("div", "annot-labeler");
    root.tabIndex = 0;
    for (const c of ["annot-toolbar", "annot-status", "annot-help", "annot-doc"]) root.appendChild(el("div", c));
    parentElement.appendChild(root);
  }
  const st = {
    root,
    toolbar: root.querySelector(".annot-toolbar"),
    status: root.querySelector(".annot-status"),
    help: root.querySelector(".annot-help"),
    doc: root.querySelector(".annot-doc"),
    client: Math.random().toString(36).slice(2, 10),
    seq: 0,
    queue: [],
    data: null,
    renderKey: null,
    renderedDoc: null,
    renderedLength: -1,
    nodeStart: new WeakMap(),
    spansById: new Map(),
    marksById: new Map(),
    order: [],
    selected: null,
    dateHistory: [],
    lastServerSelect: null,
    send: null,
  };
  st.help.hidden = true;
  root.addEventListener("keydown", (ev) => onKey(st, ev));
  st.doc.addEventListener("click", (ev) => onClick(st, ev));
  return st;
}

// ---- rendering ------------------------------------------------------------------------------------------------

function keptSelection(st) {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || !st.doc.contains(sel.anchorNode) || !st.doc.contains(sel.focusNode)) {
    return null;
  }
  const anchor = pointOffset(st, sel.anchorNode, sel.anchorOffset);
  const focus = pointOffset(st, sel.focusNode, sel.focusOffset);
  return anchor === null || focus === null ? null : { anchor, focus };
}

// A UTF-16 offset of the document text -> the DOM point (text node, offset) that renders it.
function offsetPoint(st, offset) {
  const walker = document.createTreeWalker(st.doc, NodeFilter.SHOW_TEXT);
  let node;
  let last = null;
  while ((node = walker.nextNode())) {
    const start = st.nodeStart.get(node);
    if (start === undefined) continue;
    if (offset < start + node.data.length) return [node, Math.max(0, offset - start)];
    last = node;
  }
  return last ? [last, last.data.length] : null;
}

function restoreSelection(st, kept) {
  const a = offsetPoint(st, kept.anchor);
  const f = offsetPoint(st, kept.focus);
  if (a && f) document.getSelection().setBaseAndExtent(a[0], a[1], f[0], f[1]);
}

function render(st) {
  const t0 = performance.now();
  const { text, marks } = st.data;
  // A selection (or caret) the annotator made while new marks were on their way survives the redraw: it is read
  // as text offsets from the old nodes and put back, direction kept, on the new ones.
  const kept = st.renderedDoc === st.data.doc_id && st.renderedLength === text.length ? keptSelection(st) : null;
  const startsAt = new Map();
  const endsAt = new Map();
  const cuts = new Set([0, text.length]);
  st.marksById = new Map();
  for (const m of marks) {
    st.marksById.set(m.id, m);
    cuts.add(m.start);
    cuts.add(m.end);
    if (!startsAt.has(m.start)) startsAt.set(m.start, []);
    startsAt.get(m.start).push(m);
    if (!endsAt.has(m.end)) endsAt.set(m.end, []);
    endsAt.get(m.end).push(m);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const active = new Set();
  const frag = document.createDocumentFragment();
  st.nodeStart = new WeakMap();
  st.spansById = new Map();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    for (const m of endsAt.get(a) || []) active.delete(m);
    for (const m of startsAt.get(a) || []) active.add(m);
    const node = document.createTextNode(text.slice(a, b));
    st.nodeStart.set(node, a);
    if (active.size === 0) {
      frag.appendChild(node);
      continue;
    }
    // Innermost first: the shortest mark decides the colour; all ids are kept for click cycling.
    const covering = [...active].sort((x, y) => x.end - x.start - (y.end - y.start) || x.start - y.start);
    const own = covering.filter((m) => !m.suggestion);
    const sugg = covering.filter((m) => m.suggestion);
    const span = el("span", "annot-mark");
    if (own.length) span.style.backgroundColor = own[0].color;
    if (sugg.length) {
      span.classList.add(own.length ? "annot-mixed" : "annot-suggestion");
      span.style.textDecorationColor = sugg[0].color_strong || sugg[0].color;
    }
    span.dataset.marks = covering.map((m) => m.id).join(" ");
    span.title = covering.map((m) => (m.suggestion ? "suggested " : "") + m.label).join(" / ");
    span.appendChild(node);
    frag.appendChild(span);
    for (const m of covering) {
      if (!st.spansById.has(m.id)) st.spansById.set(m.id, []);
      st.spansById.get(m.id).push(span);
    }
  }
  st.doc.replaceChildren(frag);
  st.renderedDoc = st.data.doc_id;
  st.renderedLength = text.length;
  if (kept) restoreSelection(st, kept);
  st.order = [...marks].sort((x, y) => x.start - y.start || y.end - x.end).map((m) => m.id);
  st.root.dataset.renderMs = String(performance.now() - t0);
  st.root.dataset.renders = String(Number(st.root.dataset.renders || 0) + 1);
}

function renderToolbar(st) {
  const bar = st.toolbar;
  const buttons = [];
  for (const lab of st.data.labels) {
    const b = el("button", "annot-label-btn");
    b.type = "button";
    b.dataset.label = lab.name;
    b.style.backgroundColor = lab.color;
    b.appendChild(document.createTextNode(lab.label + " "));
    if (lab.hotkey) b.appendChild(el("kbd", "", lab.hotkey));
    b.addEventListener("click", () => applyLabel(st, lab));
    buttons.push(b);
  }
  const extra = [
    ["Accept all", "A", () => emit(st, { type: "accept", ids: null })],
    ["Link dates", "L", () => linkDates(st)],
    ["Save", "ctrl+s", () => emit(st, { type: "save" })],
    ["Help", "?", () => toggleHelp(st)],
  ];
  for (const [name, key, fn] of extra) {
    const b = el("button", "annot-action-btn");
    b.type = "button";
    b.appendChild(document.createTextNode(name + " "));
    b.appendChild(el("kbd", "", key));
    b.addEventListener("click", fn);
    buttons.push(b);
  }
  // Keep the text selection when a button is pressed with the mouse.
  for (const b of buttons) b.addEventListener("mousedown", (ev) => ev.preventDefault());
  bar.replaceChildren(...buttons);

  const table = el("table");
  // The keys and what they do come from Python (annotate/app/labeler.py KEYBOARD), the one table of them.
  for (const [k, d] of st.data.help) {
    const tr = el("tr");
    tr.appendChild(el("td", "", k));
    tr.appendChild(el("td", "", d));
    table.appendChild(tr);
  }
  st.help.replaceChildren(el("strong", "", "Keyboard"), table);
}

// ---- selection and offsets -------------------------------------------------------------------------------------

function firstText(node) {
  if (node.nodeType === Node.TEXT_NODE) return node;
  for (const c of node.childNodes) {
    const t = firstText(c);
    if (t) return t;
  }
  return null;
}

function lastText(node) {
  if (node.nodeType === Node.TEXT_NODE) return node;
  for (let i = node.childNodes.length - 1; i >= 0; i--) {
    const t = lastText(node.childNodes[i]);
    if (t) return t;
  }
  return null;
}

// A DOM boundary point -> UTF-16 offset in the document text (null when outside the document).
function pointOffset(st, node, offset) {
  if (!st.doc.contains(node)) return null;
  if (node.nodeType === Node.TEXT_NODE) {
    const s = st.nodeStart.get(node);
    return s === undefined ? null : s + offset;
  }
  if (offset < node.childNodes.length) {
    const t = firstText(node.childNodes[offset]);
    if (t) return st.nodeStart.get(t);
  }
  const t = lastText(node);
  return t ? st.nodeStart.get(t) + t.data.length : 0;
}

function textSelection(st) {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const r = sel.getRangeAt(0);
  let s = pointOffset(st, r.startContainer, r.startOffset);
  let e = pointOffset(st, r.endContainer, r.endOffset);
  if (s === null || e === null) return null;
  if (s > e) [s, e] = [e, s];
  return s === e ? null : { start: s, end: e };
}

function extendSelection(st, key, byWord) {
  const sel = document.getSelection();
  if (!sel) return;
  const inside = sel.rangeCount > 0 && st.doc.contains(sel.anchorNode);
  if (!inside) {
    const spans = st.selected && st.spansById.get(st.selected);
    const t = spans ? firstText(spans[0]) : firstText(st.doc);
    if (!t) return;
    sel.collapse(t, 0);
  }
  const dir = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "backward", ArrowDown: "forward",
                Home: "backward", End: "forward" }[key];
  const unit = key === "ArrowUp" || key === "ArrowDown" ? "line"
    : key === "Home" || key === "End" ? "lineboundary" : byWord ? "word" : "character";
  sel.modify("extend", dir, unit);
  const s = textSelection(st);
  setStatus(st, s ? `selected ${s.end - s.start} units — press a label key` : "");
}

// ---- actions ---------------------------------------------------------------------------------------------------

function emit(st, action) {
  st.seq += 1;
  st.queue.push({ ...action, seq: st.seq });
  // Every trigger carries all unacknowledged actions: Streamlit keeps only the last value of a trigger per run.
  st.send("actions", { client: st.client, doc_id: st.data.doc_id, actions: st.queue.slice() });
}

function setStatus(st, msg) {
  st.status.textContent = msg || "";
}

function selectMark(st, id, report = true) {
  for (const s of st.spansById.get(st.selected) || []) s.classList.remove("annot-selected");
  st.selected = id;
  const m = id && st.marksById.get(id);
  if (!m) {
    st.selected = null;
    setStatus(st, "");
    return;
  }
  const spans = st.spansById.get(id) || [];
  for (const s of spans) s.classList.add("annot-selected");
  if (spans.length) spans[0].scrollIntoView({ block: "nearest" });
  if (m.kind === "date") {
    st.dateHistory = st.dateHistory.filter((x) => x !== id);
    st.dateHistory.push(id);
    if (st.dateHistory.length > 2) st.dateHistory.shift();
  }
  const text = st.data.text.slice(m.start, m.end);
  setStatus(st, `${m.suggestion ? "suggested " : ""}${m.label}: «\u2068${text}\u2069»` +
    (m.suggestion ? " — a accept, r reject" : ""));
  if (report) emit(st, { type: "select", id });
}

function applyLabel(st, lab) {
  const s = textSelection(st);
  if (s) {
    emit(st, { type: "create", kind: lab.kind, label: lab.name, start: s.start, end: s.end });
    document.getSelection().removeAllRanges();
    setStatus(st, `${lab.label}: saving…`);
    return;
  }
  const m = st.selected && st.marksById.get(st.selected);
  if (!m) {
    setStatus(st, "select some text or a mark first");
  } else if (m.suggestion) {
    setStatus(st, "accept the suggestion (a) before changing it");
  } else if (m.kind !== lab.kind || lab.kind === "date") {
    setStatus(st, `a ${m.kind} cannot become a ${lab.kind}; delete it and mark the text again`);
  } else if (m.label !== lab.name) {
    emit(st, { type: "set_type", id: m.id, label: lab.name });
  }
}

function linkDates(st) {
  const h = st.dateHistory.filter((id) => st.marksById.has(id));
  if (h.length < 2) {
    setStatus(st, "select two dates (click one, then the other), then press l");
    return;
  }
  emit(st, { type: "link", source: h[0], target: h[1] });
}

function step(st, delta) {
  if (!st.order.length) return;
  let i = st.order.indexOf(st.selected);
  i = i < 0 ? (delta > 0 ? 0 : st.order.length - 1) : (i + delta + st.order.length) % st.order.length;
  selectMark(st, st.order[i]);
}

function toggleHelp(st) {
  st.help.hidden = !st.help.hidden;
}

function onClick(st, ev) {
  const sel = document.getSelection();
  if (sel && !sel.isCollapsed) return; // the end of a drag selection, not a click on a mark
  const span = ev.target.closest && ev.target.closest(".annot-mark");
  if (!span) {
    selectMark(st, null, false);
    return;
  }
  const ids = span.dataset.marks.split(" ");
  const i = ids.indexOf(st.selected);
  selectMark(st, ids[(i + 1) % ids.length]);
  st.root.focus({ preventScroll: true });
}

function onKey(st, ev) {
  if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
  const k = ev.key;
  if ((ev.ctrlKey || ev.metaKey) && k.toLowerCase() === "s") {
    ev.preventDefault();
    emit(st, { type: "save" });
    setStatus(st, "saving…");
    return;
  }
  if (ev.shiftKey && ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"].includes(k)) {
    ev.preventDefault();
    extendSelection(st, k, ev.ctrlKey || ev.metaKey);
    return;
  }
  if ((ev.ctrlKey || ev.metaKey) && (ev.code === "KeyZ" || ev.code === "KeyY")) {
    // by physical key, so that ctrl+z undoes under a Persian or Arabic layout too
    ev.preventDefault();
    emit(st, { type: ev.code === "KeyY" || ev.shiftKey ? "redo" : "undo" });
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const m = st.selected && st.marksById.get(st.selected);
  const lab = st.data.labels.find((x) => x.hotkey === k);
  let handled = true;
  if (k === "?") toggleHelp(st);
  else if (k === "Escape") { document.getSelection().removeAllRanges(); selectMark(st, null, false); }
  else if (k === "j" || (k === "Tab" && !ev.shiftKey)) step(st, 1);
  else if (k === "k" || (k === "Tab" && ev.shiftKey)) step(st, -1);
  else if ((k === "Delete" || k === "Backspace") && m) {
    emit(st, m.suggestion ? { type: "reject", ids: [m.id] } : { type: "delete", id: m.id });
    selectMark(st, null, false);
  } else if (k === "a" && m && m.suggestion) emit(st, { type: "accept", ids: [m.id] });
  else if (k === "r" && m && m.suggestion) { emit(st, { type: "reject", ids: [m.id] }); selectMark(st, null, false); }
  else if (k === "A") emit(st, { type: "accept", ids: null });
  else if (k === "L" || (k === "l" && !textSelection(st) && m && m.kind === "date")) linkDates(st);
  else if (lab) applyLabel(st, lab);
  else if (k === "l") linkDates(st);
  else handled = false;
  if (handled) ev.preventDefault();
}

// ---- entry point -----------------------------------------------------------------------------------------------

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let st = INSTANCES.get(parentElement);
  if (!st) {
    st = init(parentElement);
    INSTANCES.set(parentElement, st);
  }
  st.send = setTriggerValue;
  const prevDoc = st.data && st.data.doc_id;
  st.data = data;
  const ack = (data.ack && data.ack[st.client]) || 0;
  st.queue = st.queue.filter((a) => a.seq > ack);
  st.doc.dir = data.dir;
  st.doc.lang = data.lang;
  st.root.dataset.docId = data.doc_id;
  st.root.dataset.client = st.client;
  const key = JSON.stringify([data.doc_id, data.text.length, data.marks]);
  if (key !== st.renderKey) {
    st.renderKey = key;
    render(st);
    renderToolbar(st);
  }
  if (prevDoc !== data.doc_id) {
    st.selected = null;
    st.dateHistory = [];
  }
  if (data.select && data.select !== st.lastServerSelect && st.marksById.has(data.select)) {
    selectMark(st, data.select, false);
  } else if (st.selected) {
    selectMark(st, st.marksById.has(st.selected) ? st.selected : null, false);
  }
  st.lastServerSelect = data.select || null;
  if (data.status) setStatus(st, data.status);
  return () => INSTANCES.delete(parentElement);
}
