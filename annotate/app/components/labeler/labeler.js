// The span labeler: renders a document (RTL for fa/prs/ar) with its marks and arcs and reports the annotator's
// ACTIONS to Python (create, set_type, delete, accept, reject, link, select, save, undo, redo), with offsets in
// UTF-16 code units as the DOM counts them.  Python converts offsets to code points, applies the action and sends
// back what changed.
//
// What Python sends (annotate.app.labeler.wire_payload): the document's static part (text, labels with their
// colours, keys, the search fold table) once, then deltas of marks and arcs against a version.  The browser keeps
// them per labeler key in CACHE, which outlives a remount of the component; a browser that finds itself on
// another version than a delta expects asks for everything again (resync).
//
// Safety: document text and label names reach the DOM only through text nodes and textContent, never innerHTML.
// Streamlit calls the entry point again on a theme change with the same parentElement, so per-instance state lives
// in a WeakMap and listeners are attached once.

const INSTANCES = new WeakMap();
const CACHE = new Map();
const HEX = /^#[0-9a-fA-F]{6}$/;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function init(parentElement) {
  const root = parentElement.querySelector(".annot-labeler");
  if (!root) throw new Error("the labeler's HTML (labeler.html) is missing");
  const q = (c) => root.querySelector(c);
  const st = {
    root,
    head: q(".annot-head"),
    toolbar: q(".annot-toolbar"),
    searchBox: q(".annot-search input"),
    searchCount: q(".annot-search-count"),
    arcsToggle: q(".annot-arcs-toggle input"),
    status: q(".annot-status"),
    help: q(".annot-help"),
    body: q(".annot-body"),
    doc: q(".annot-doc"),
    svg: q(".annot-arcs"),
    caret: q(".annot-caret"),
    colors: el("style"),
    probe: el("span", "annot-probe"),
    client: Math.random().toString(36).slice(2, 10),
    seq: 0,
    queue: [],
    data: null,
    staticKey: null,
    text: "",
    labels: [],
    keys: [],
    fold: {},
    folded: null,
    marks: new Map(),
    arcs: new Map(),
    renderedVersion: null,
    renderedDoc: null,
    renderedLength: -1,
    nodes: [],
    nodeStart: new WeakMap(),
    spansById: new Map(),
    marksById: new Map(),
    order: [],
    selected: null,
    dateHistory: [],
    lastServerSelect: null,
    hits: [],
    hitIndex: -1,
    arcsOn: localStorage.getItem("annotate.labeler.arcs") !== "off",
    arcsFrame: 0,
    resyncAsked: null,
    resendTimer: 0,
    send: null,
    follow: null,
    abort: new AbortController(),
  };
  root.append(st.colors, st.probe);
  st.help.hidden = true;
  st.arcsToggle.checked = st.arcsOn;
  const opts = { signal: st.abort.signal };
  root.addEventListener("keydown", (ev) => onKey(st, ev), opts);
  st.doc.addEventListener("click", (ev) => onClick(st, ev), opts);
  st.searchBox.addEventListener("input", () => { runSearch(st, false); stepHit(st, 0); }, opts);
  st.searchBox.addEventListener("keydown", (ev) => onSearchKey(st, ev), opts);
  q(".annot-search-prev").addEventListener("click", () => stepHit(st, -1), opts);
  q(".annot-search-next").addEventListener("click", () => stepHit(st, 1), opts);
  for (const b of root.querySelectorAll(".annot-search button")) {
    b.addEventListener("mousedown", (ev) => ev.preventDefault(), opts); // keep the text selection
  }
  st.arcsToggle.addEventListener("change", () => {
    st.arcsOn = st.arcsToggle.checked;
    localStorage.setItem("annotate.labeler.arcs", st.arcsOn ? "on" : "off");
    st.doc.classList.toggle("annot-with-arcs", st.arcsOn);
    drawArcs(st);
  }, opts);
  st.doc.classList.toggle("annot-with-arcs", st.arcsOn);
  document.addEventListener("selectionchange", () => showCaret(st, false), opts);
  document.addEventListener("click", (ev) => onHistoryButton(st, ev), { ...opts, capture: true });
  root.addEventListener("focusout", () => { st.caret.hidden = true; }, opts);
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => applyTheme(st), opts);
  const resize = new ResizeObserver(() => {
    st.root.style.setProperty("--annot-head-h", `${st.head.offsetHeight}px`);
    scheduleArcs(st);
  });
  resize.observe(st.body);
  resize.observe(st.head);
  st.abort.signal.addEventListener("abort", () => {
    clearTimeout(st.resendTimer);
    resize.disconnect();
    st.colors.remove();
    st.probe.remove();
  });
  return st;
}

// ---- theme and colours -----------------------------------------------------------------------------------------

// Light or dark, from the background Streamlit paints (its theme follows the OS unless the user chose one).
function applyTheme(st) {
  const bg = getComputedStyle(st.root).getPropertyValue("--st-background-color").trim();
  let dark = matchMedia("(prefers-color-scheme: dark)").matches;
  if (bg) {
    st.probe.style.color = bg;
    const rgb = (getComputedStyle(st.probe).color.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
    if (rgb.length === 3) {
      const lin = rgb.map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
      dark = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] < 0.4;
    }
  }
  const theme = dark ? "dark" : "light";
  if (st.root.dataset.theme !== theme) {
    st.root.dataset.theme = theme;
    scheduleArcs(st);
  }
}

// One rule per label and theme: the mark's background, its text and its strong line colour.
function colorRules(labels) {
  const rules = [];
  for (const lab of labels) {
    for (const theme of ["light", "dark"]) {
      const c = lab.colors && lab.colors[theme];
      if (!c || ![c.bg, c.fg, c.line].every((x) => HEX.test(x))) continue;
      rules.push(`.annot-labeler[data-theme="${theme}"] .annot-c${Number(lab.c)} ` +
                 `{ --annot-bg: ${c.bg}; --annot-fg: ${c.fg}; --annot-line: ${c.line}; }`);
    }
  }
  return rules.join("\n");
}

// ---- offsets <-> DOM points ------------------------------------------------------------------------------------

// A UTF-16 offset of the document text -> the DOM point (text node, offset) that renders it.
function offsetPoint(st, offset) {
  const nodes = st.nodes;
  if (!nodes.length) return null;
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nodes[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const n = nodes[lo];
  // An offset at a node boundary belongs to the node that starts there (not to the end of the previous one).
  return [n.node, Math.min(Math.max(0, offset - n.start), n.node.data.length)];
}

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

function keptSelection(st) {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || !st.doc.contains(sel.anchorNode) || !st.doc.contains(sel.focusNode)) {
    return null;
  }
  const anchor = pointOffset(st, sel.anchorNode, sel.anchorOffset);
  const focus = pointOffset(st, sel.focusNode, sel.focusOffset);
  return anchor === null || focus === null ? null : { anchor, focus };
}

function restoreSelection(st, kept) {
  const a = offsetPoint(st, kept.anchor);
  const f = offsetPoint(st, kept.focus);
  if (a && f) document.getSelection().setBaseAndExtent(a[0], a[1], f[0], f[1]);
}

// Scroll the page (or whatever scrolls the text) so that a client rect is in view, below the sticky head; with
// "nearest", nothing moves (and nothing is written) when it is in view already.
function scrollRectIntoView(st, rect, block) {
  if (block === "nearest" && rect.top >= st.head.getBoundingClientRect().bottom && rect.bottom <= innerHeight) return;
  const body = st.body.getBoundingClientRect();
  const a = st.anchor || (st.anchor = st.body.appendChild(el("div", "annot-anchor")));
  a.style.left = `${rect.left - body.left}px`;
  a.style.top = `${rect.top - body.top}px`;
  a.style.width = `${Math.max(1, rect.width)}px`;
  a.style.height = `${Math.max(1, rect.height)}px`;
  a.scrollIntoView({ block, inline: "nearest" });
}

// ---- rendering ------------------------------------------------------------------------------------------------

// The text from `from` to `to` as a flat run of text nodes and mark spans (one per stretch of text covered by the
// same marks), for the `marks` that touch it.  Returns the fragment and its text nodes with their offsets.
function segments(st, from, to, marks) {
  const startsAt = new Map();
  const endsAt = new Map();
  const cuts = new Set([from, to]);
  const active = new Set();
  for (const m of marks) {
    if (m.start < from && m.end > from) active.add(m); // begins before the stretch
    if (m.start >= from && m.start < to) {
      cuts.add(m.start);
      if (!startsAt.has(m.start)) startsAt.set(m.start, []);
      startsAt.get(m.start).push(m);
    }
    if (m.end > from && m.end <= to) {
      cuts.add(m.end);
      if (!endsAt.has(m.end)) endsAt.set(m.end, []);
      endsAt.get(m.end).push(m);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    for (const m of endsAt.get(a) || []) active.delete(m);
    for (const m of startsAt.get(a) || []) active.add(m);
    const node = document.createTextNode(st.text.slice(a, b));
    st.nodeStart.set(node, a);
    nodes.push({ node, start: a });
    if (active.size === 0) {
      frag.appendChild(node);
      continue;
    }
    // Innermost first: the shortest mark decides the colour; all ids are kept for click cycling.  Ties in a fixed
    // order (tieOrder), so that a page brought up to date by deltas draws what a new page draws.
    const covering = [...active].sort((x, y) => x.end - x.start - (y.end - y.start) || x.start - y.start ||
                                                tieOrder(x, y));
    const own = covering.filter((m) => !m.suggestion);
    const sugg = covering.filter((m) => m.suggestion);
    const span = el("span", "annot-mark");
    const lead = own.length ? own[0] : sugg[0];
    span.classList.add(lead.c >= 0 ? `annot-c${lead.c}` : "annot-cx");
    if (own.length && own[0].kind === "event") span.classList.add("annot-event");
    if (sugg.length) span.classList.add(own.length ? "annot-mixed" : "annot-suggestion");
    span.dataset.marks = covering.map((m) => m.id).join(" ");
    span.title = covering.map((m) => (m.suggestion ? "suggested " : "") + m.label).join(" / ");
    span.appendChild(node);
    frag.appendChild(span);
  }
  return { frag, nodes };
}

// Draw the text with its marks: all of it, or (`ranges`, the stretches a delta changed) only the segments those
// touch, so that the browser keeps the layout and shaping of the rest of a long document.
function render(st, ranges) {
  const t0 = performance.now();
  const text = st.text;
  const marks = [...st.marks.values()];
  // A selection (or caret) the annotator made while new marks were on their way survives the redraw: it is read
  // as text offsets from the old nodes and put back, direction kept, on the new ones.
  const kept = st.renderedDoc === st.data.doc_id && st.renderedLength === text.length ? keptSelection(st) : null;
  st.marksById = new Map(marks.map((m) => [m.id, m]));
  if (ranges && st.nodes.length) {
    for (const [lo, hi] of mergeRanges(ranges)) redrawRange(st, lo, hi, marks);
  } else {
    st.nodeStart = new WeakMap();
    const { frag, nodes } = segments(st, 0, text.length, marks);
    st.nodes = nodes;
    st.doc.replaceChildren(frag);
  }
  st.spansById = new Map();
  for (const span of st.doc.children) {
    for (const id of span.dataset.marks.split(" ")) {
      if (!st.spansById.has(id)) st.spansById.set(id, []);
      st.spansById.get(id).push(span);
    }
  }
  st.renderedDoc = st.data.doc_id;
  st.renderedLength = text.length;
  if (kept) restoreSelection(st, kept);
  st.order = marks.sort((x, y) => x.start - y.start || y.end - x.end || tieOrder(x, y)).map((m) => m.id);
  if (st.selected && !st.marksById.has(st.selected)) st.selected = null;
  for (const s of st.spansById.get(st.selected) || []) s.classList.add("annot-selected");
  st.root.dataset.renderMs = String(performance.now() - t0);
  st.root.dataset.renders = String(Number(st.root.dataset.renders || 0) + 1);
  st.root.dataset.marks = String(marks.length);
}

// Marks on the same stretch of text in a fixed order: the set's marks before suggestions; entities, dates, events
// (the order Python lists them in); then by id.
const KIND_RANK = { entity: 0, date: 1, event: 2 };
function tieOrder(x, y) {
  const rank = (m) => (m.suggestion ? 3 : 0) + (KIND_RANK[m.kind] ?? 3);
  return rank(x) - rank(y) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

function mergeRanges(ranges) {
  const out = [];
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (out.length && lo <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

// The index in st.nodes of the segment holding offset `offset`.
function segmentAt(st, offset) {
  let lo = 0;
  let hi = st.nodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (st.nodes[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Replace the segments that overlap [lo, hi) with freshly cut ones.
function redrawRange(st, lo, hi, marks) {
  const i0 = segmentAt(st, lo);
  const i1 = segmentAt(st, Math.max(lo, hi - 1));
  const from = st.nodes[i0].start;
  const to = i1 + 1 < st.nodes.length ? st.nodes[i1 + 1].start : st.text.length;
  const touching = marks.filter((m) => m.start < to && m.end > from);
  const { frag, nodes } = segments(st, from, to, touching);
  const old = st.nodes.slice(i0, i1 + 1).map((n) => (n.node.parentNode === st.doc ? n.node : n.node.parentNode));
  st.doc.insertBefore(frag, old[0]);
  for (const e of old) e.remove();
  st.nodes.splice(i0, i1 - i0 + 1, ...nodes);
}

// The parts that come once per document: toolbar, colours, help, the folded text for the search.
function setupStatic(st, s) {
  st.text = s.text;
  st.labels = s.labels;
  st.keys = s.keys;
  st.fold = s.fold;
  st.folded = null;
  st.doc.dir = s.dir;
  st.doc.lang = s.lang;
  st.colors.textContent = colorRules(s.labels);
  const buttons = [];
  for (const lab of s.labels) {
    const b = el("button", `annot-label-btn annot-c${Number(lab.c)} annot-kind-${lab.kind}`);
    b.type = "button";
    b.tabIndex = -1; // every label has its key; Tab goes on to the search box and the panels
    b.dataset.label = lab.name;
    b.title = `${lab.label} (${lab.name})` + (lab.cap ? ` — key ${lab.cap}` : "");
    b.appendChild(el("span", "annot-label-name", lab.label));
    if (lab.cap) b.appendChild(el("kbd", "", lab.cap));
    b.addEventListener("click", () => applyLabel(st, lab));
    buttons.push(b);
  }
  const actions = [
    ["Accept all", "⇧A", () => emit(st, { type: "accept", ids: null })],
    ["Link dates", "=", () => linkDates(st)],
    ["Save", "Ctrl+S", () => { emit(st, { type: "save" }); setStatus(st, "saving…"); }],
    ["Keys", "?", () => toggleHelp(st)],
  ];
  const extra = [];
  for (const [name, key, fn] of actions) {
    const b = el("button", "annot-action-btn");
    b.type = "button";
    b.tabIndex = -1;
    b.appendChild(document.createTextNode(name + " "));
    b.appendChild(el("kbd", "", key));
    b.addEventListener("click", fn);
    extra.push(b);
  }
  st.toolbar.replaceChildren(...buttons, el("span", "annot-toolbar-gap"), ...extra);
  // Keep the text selection when a button is pressed with the mouse.
  for (const b of [...buttons, ...extra]) b.addEventListener("mousedown", (ev) => ev.preventDefault());
  const table = el("table");
  for (const [k, d] of s.help) {
    const tr = el("tr");
    tr.appendChild(el("td", "annot-help-key", k));
    tr.appendChild(el("td", "", d));
    table.appendChild(tr);
  }
  st.help.replaceChildren(el("strong", "", "Keys"), table);
}

// ---- actions ---------------------------------------------------------------------------------------------------

function emit(st, action) {
  st.seq += 1;
  st.queue.push({ ...action, seq: st.seq });
  sendQueue(st);
}

// Every trigger carries all unacknowledged actions: Streamlit keeps only the last value of a trigger per run, and
// a run stopped by a newer request can drop the trigger it was reading.  Python takes each number once, so
// actions still unacknowledged RESEND_MS after the last word from the server are sent again.
const RESEND_MS = 4000;

function sendQueue(st) {
  st.send("actions", { client: st.client, doc_id: st.data.doc_id, actions: st.queue.slice() });
  armResend(st);
}

function armResend(st) {
  clearTimeout(st.resendTimer);
  st.resendTimer = st.queue.length ? setTimeout(() => { if (st.queue.length) sendQueue(st); }, RESEND_MS) : 0;
}

function requestResync(st, why) {
  if (st.resyncAsked === why) return;
  st.resyncAsked = why;
  st.send("actions", { client: st.client, doc_id: st.data.doc_id, actions: st.queue.slice(), resync: true });
}

function setStatus(st, msg) {
  st.status.textContent = msg || "";
}

function selectMark(st, id, report = true) {
  for (const s of st.spansById.get(st.selected) || []) s.classList.remove("annot-selected");
  st.selected = id;
  const m = id && st.marksById.get(id);
  markArcsOf(st, m ? id : null);
  if (!m) {
    st.selected = null;
    setStatus(st, "");
    return;
  }
  const spans = st.spansById.get(id) || [];
  for (const s of spans) s.classList.add("annot-selected");
  if (spans.length) scrollRectIntoView(st, spans[0].getBoundingClientRect(), "nearest");
  if (m.kind === "date") {
    st.dateHistory = st.dateHistory.filter((x) => x !== id);
    st.dateHistory.push(id);
    if (st.dateHistory.length > 2) st.dateHistory.shift();
  }
  const text = st.text.slice(m.start, m.end);
  setStatus(st, `${m.suggestion ? "suggested " : ""}${m.label}: «\u2068${text}\u2069»` +
    (m.suggestion ? " — A accept, R reject" : ""));
  if (report) {
    emit(st, { type: "select", id });
    // The mark's editor is at the top of the panel named by `follow`: show that top, whatever was scrolled.
    const panel = st.follow && document.querySelector(st.follow);
    if (panel) panel.scrollTop = 0;
  }
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
    setStatus(st, "accept the suggestion (A) before changing it");
  } else if (m.kind !== lab.kind || lab.kind === "date") {
    setStatus(st, `a ${m.kind} cannot become a ${lab.kind}; delete it and mark the text again`);
  } else if (m.type !== lab.name) {
    emit(st, { type: "set_type", id: m.id, label: lab.name });
  }
}

function linkDates(st) {
  const h = st.dateHistory.filter((id) => st.marksById.has(id));
  if (h.length < 2) {
    setStatus(st, "select two dates (click one, then the other), then press =");
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
  if (!st.staticKey) return;
  const sel = document.getSelection();
  if (sel && !sel.isCollapsed) return; // the end of a drag selection, not a click on a mark
  const span = ev.target.closest && ev.target.closest(".annot-mark");
  st.root.focus({ preventScroll: true });
  if (!span) {
    selectMark(st, null, false);
    return;
  }
  const ids = span.dataset.marks.split(" ");
  const i = ids.indexOf(st.selected);
  selectMark(st, ids[(i + 1) % ids.length]);
}

function onKey(st, ev) {
  if (!st.staticKey) return; // nothing drawn yet
  if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
  if (ev.key === "Tab") return; // Tab and shift+Tab leave the labeler as they would any element
  const m = st.selected && st.marksById.get(st.selected);
  const action = keyAction(st.keys, ev);
  let handled = true;
  if (action === "save") { emit(st, { type: "save" }); setStatus(st, "saving…"); }
  else if (action === "undo" || action === "redo") moveInHistory(st, action);
  else if (action === "search") { st.searchBox.focus(); st.searchBox.select(); }
  else if (action === "help") toggleHelp(st);
  else if (action === "escape") { document.getSelection().removeAllRanges(); selectMark(st, null, false); }
  else if (action === "next") step(st, 1);
  else if (action === "previous") step(st, -1);
  else if (action === "delete" && m) {
    emit(st, m.suggestion ? { type: "reject", ids: [m.id] } : { type: "delete", id: m.id });
    selectMark(st, null, false);
  } else if (action === "accept" && m && m.suggestion) emit(st, { type: "accept", ids: [m.id] });
  else if (action === "reject" && m && m.suggestion) { emit(st, { type: "reject", ids: [m.id] }); selectMark(st, null, false); }
  else if (action === "accept_all") emit(st, { type: "accept", ids: null });
  else if (action === "link") linkDates(st);
  else if (CARET_KEYS.has(ev.key) && !ev.altKey) moveCaret(st, ev);
  else {
    const lab = labelForKey(st.labels, ev);
    if (lab) applyLabel(st, lab);
    else handled = false;
  }
  if (handled) ev.preventDefault();
}

// ---- data from Python ------------------------------------------------------------------------------------------

// Bring the cache up to date with `data`; null when the browser cannot (it asked for everything instead).  A
// preview of an undo or redo (preview.js) is taken back first, once `data` has the step or other changes.
function receive(st, data, ack) {
  let cache = CACHE.get(data.key);
  if (!cache) CACHE.set(data.key, (cache = { staticKey: null, version: null, marks: new Map(), arcs: new Map() }));
  const back = takeBackPreview(st, cache, data, ack);
  cache.back = back.length ? back : null;
  if (data.static) {
    cache.static = data.static;
    cache.staticKey = data.static_key;
  }
  const d = data.delta;
  if (cache.staticKey !== data.static_key) {
    requestResync(st, `${data.static_key}:${d.version}`);
    return null;
  }
  if (d.full) {
    cache.marks = new Map();
    cache.arcs = new Map();
  } else if (d.version === cache.version) {
    return cache; // nothing changed (or this delta again: Streamlit calls again on a theme change)
  } else if (d.base !== cache.version) {
    requestResync(st, `${data.static_key}:${d.version}`);
    return null;
  }
  const changed = back;
  cache.back = null;
  for (const id of d.marks.remove) {
    const m = cache.marks.get(id);
    if (m) changed.push([m.start, m.end]);
    cache.marks.delete(id);
  }
  for (const m of d.marks.upsert) {
    const was = cache.marks.get(m.id);
    if (was) changed.push([was.start, was.end]);
    changed.push([m.start, m.end]);
    cache.marks.set(m.id, m);
  }
  // What a renderer at `base` has to redraw to be at `version`; anything else redraws everything.
  cache.changed = d.full ? null : { base: d.base, ranges: changed };
  for (const id of d.arcs.remove) cache.arcs.delete(id);
  for (const a of d.arcs.upsert) cache.arcs.set(a.id, a);
  cache.version = d.version;
  return cache;
}

// The data arrives through a second, tiny component (feed.js) that hands it over here: this element (with the
// labeler's whole source) then stays the same from run to run, and Streamlit sends it as a reference to what the
// browser already holds instead of sending it again with every edit.
const HUB = (globalThis.__annotateLabelerHub ??= { pending: new Map(), listeners: new Map() });

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let st = INSTANCES.get(parentElement);
  const fresh = !st;
  if (fresh) {
    st = init(parentElement);
    INSTANCES.set(parentElement, st);
    st.key = data.key;
  }
  st.send = setTriggerValue;
  applyTheme(st); // Streamlit calls again when the theme changes
  if (fresh) {
    const listener = (d) => onData(st, d);
    HUB.listeners.set(st.key, listener);
    const pending = HUB.pending.get(st.key);
    if (pending) onData(st, pending);
    // Streamlit runs this when the component goes away, and also when a call it no longer wanted finishes
    // late; only the first is an end (the element has left the page by then).
    st.cleanup = () => {
      if (parentElement.isConnected) return;
      st.abort.abort();
      INSTANCES.delete(parentElement);
      if (HUB.listeners.get(st.key) === listener) HUB.listeners.delete(st.key);
    };
  }
  return st.cleanup;
}

function onData(st, data) {
  st.follow = data.follow;
  const prevDoc = st.data && st.data.doc_id;
  st.data = data;
  applyTheme(st);
  const ack = (data.ack && data.ack[st.client]) || 0;
  st.queue = st.queue.filter((a) => a.seq > ack);
  armResend(st);
  st.root.dataset.docId = data.doc_id;
  st.root.dataset.client = st.client;
  const cache = receive(st, data, ack);
  if (!cache) return;
  if (st.staticKey !== cache.staticKey) {
    st.staticKey = cache.staticKey;
    setupStatic(st, cache.static);
    st.renderedVersion = null;
  }
  st.marks = cache.marks;
  st.arcs = cache.arcs;
  st.root.dataset.version = String(cache.version);
  if (prevDoc !== data.doc_id) {
    st.selected = null;
    st.dateHistory = [];
  }
  if (st.renderedVersion !== cache.version) {
    const step = cache.changed && cache.changed.base === st.renderedVersion ? cache.changed.ranges : null;
    render(st, step);
    st.renderedVersion = cache.version;
    scheduleArcs(st); // at the next frame, with the layout the browser does then anyway
    if (st.searchBox.value.trim()) runSearch(st, true);
  } else if (cache.back) {
    redrawAfterPreview(st, cache.back); // a preview taken back, and nothing else changed
  }
  cache.back = null;
  if (data.select && data.select !== st.lastServerSelect && st.marksById.has(data.select)) {
    selectMark(st, data.select, false);
  } else if (st.selected) {
    selectMark(st, st.marksById.has(st.selected) ? st.selected : null, false);
  }
  st.lastServerSelect = data.select || null;
  if (data.status) setStatus(st, data.status);
}
