// Links (same_date) and event arguments drawn as arcs over the text, as brat and INCEpTION do: an arc leaves the
// top of one mark, runs in the gap above the line at a height of its own and comes down on the other mark with an
// arrowhead; its label (the role, or = / ≠ for a date link) sits on the level part.  An arc between two lines is
// drawn in two pieces, like brat's: on the earlier line from the mark to where that line ends, and on the later
// line from where it begins to the mark; in right-to-left text lines end on the left and begin on the right.
// The drawing lives in the text's own box (position: absolute), so scrolling moves it with the text; it is redrawn
// when the marks change, the box is resized (window, fonts, sidebar) or the arcs are switched on.

const SVGNS = "http://www.w3.org/2000/svg";
const LANE = 7; // px between stacked arcs above one line
const RISE = 5; // px from the top of a mark to the lowest lane
const SLANT = 5; // px of the rounded corner where an arc turns down

function svgEl(tag, attrs, cls) {
  const e = document.createElementNS(SVGNS, tag);
  if (cls) e.setAttribute("class", cls);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// Where an arc meets a mark: the middle of the mark's first line, at the top of the line box, relative to `origin`.
function anchor(st, id, origin) {
  const spans = st.spansById.get(id);
  if (!spans) return null;
  let first = null;
  let left = Infinity;
  let right = -Infinity;
  for (const span of spans) {
    for (const r of span.getClientRects()) {
      if (!first) first = r;
      if (Math.abs(r.top - first.top) > first.height / 2) continue; // only the mark's first line
      left = Math.min(left, r.left);
      right = Math.max(right, r.right);
    }
  }
  if (!first) return null;
  return { x: (left + right) / 2 - origin.left, y: first.top - origin.top, h: first.height, id };
}

// The lowest free lane on a line for the horizontal extent [a, b]; past the lanes that fit between two lines, arcs
// share the highest one rather than run into the line above.
function takeLane(lanes, row, a, b, most) {
  const lo = Math.min(a, b) - 2;
  const hi = Math.max(a, b) + 2;
  if (!lanes.has(row)) lanes.set(row, []);
  const taken = lanes.get(row);
  let lane = 0;
  while (lane < most - 1 && taken.some(([l, x0, x1]) => l === lane && x0 < hi && lo < x1)) lane++;
  taken.push([lane, lo, hi]);
  return lane;
}

// One level piece of an arc on one line: up from `a` (a mark, or a line edge when a.edge), along, down to `b`;
// its label where `labels` finds room for it on the level part.
function piece(group, a, b, level, arrowAt, label, labels) {
  const dir = b.x >= a.x ? 1 : -1;
  const s = Math.min(SLANT, Math.abs(b.x - a.x) / 2);
  const d = [];
  if (a.edge) d.push(`M${a.x},${level}`);
  else d.push(`M${a.x},${a.y}`, `Q${a.x},${level} ${a.x + dir * s},${level}`);
  if (b.edge) d.push(`L${b.x},${level}`);
  else d.push(`L${b.x - dir * s},${level}`, `Q${b.x},${level} ${b.x},${b.y}`);
  group.appendChild(svgEl("path", { d: d.join(" ") }, "annot-arc-line"));
  for (const end of arrowAt) {
    group.appendChild(svgEl("path", { d: `M${end.x - 3.5},${end.y - 7} L${end.x + 3.5},${end.y - 7} L${end.x},${end.y} Z` },
      "annot-arc-head"));
  }
  const x = label ? labels.place(label, a.x, b.x, level) : null;
  if (x !== null) {
    const t = svgEl("text", { x, y: level - 2 }, "annot-arc-label");
    t.textContent = label;
    group.appendChild(t);
  }
}

// Where labels go: on their arc's level part, not over another label (arcs that share a lane or run close above
// each other would otherwise print their roles on top of each other).  A label tries the middle of its level part,
// then steps out towards both ends; with no room left anywhere along it, that piece goes without (its arc's
// other piece, or the side panel, still names it).
const LABEL_H = 11; // px: the labels' font size
const LABEL_CHAR = 6.5; // px per character, a little over the average of the labels' font

function labelPlaces() {
  const boxes = [];
  const free = (x0, x1, y0, y1) => !boxes.some((b) => b[0] < x1 && x0 < b[1] && b[2] < y1 && y0 < b[3]);
  return {
    place(label, xa, xb, level) {
      const half = (label.length * LABEL_CHAR) / 2 + 2;
      const lo = Math.min(xa, xb) + half;
      const hi = Math.max(xa, xb) - half;
      const mid = (xa + xb) / 2;
      const y0 = level - 2 - LABEL_H;
      const y1 = level;
      const tries = [mid];
      for (let step = half; step <= (hi - lo) / 2; step += half) tries.push(mid - step, mid + step);
      for (const x of tries) {
        if ((x < lo || x > hi) && x !== mid) continue;
        if (free(x - half, x + half, y0, y1)) {
          boxes.push([x - half, x + half, y0, y1]);
          return x;
        }
      }
      return null;
    },
  };
}

function drawArcs(st) {
  const t0 = performance.now();
  const svg = st.svg;
  const arcs = st.arcs ? [...st.arcs.values()] : [];
  if (!st.arcsOn || !arcs.length) {
    svg.replaceChildren();
    st.root.dataset.arcs = "0";
    return;
  }
  // Every measurement first, then every change: one layout, however many arcs.
  const origin = st.body.getBoundingClientRect();
  const docBox = st.doc.getBoundingClientRect();
  const rtl = st.doc.dir === "rtl";
  const lineStart = rtl ? docBox.right - origin.left : docBox.left - origin.left;
  const lineEnd = rtl ? docBox.left - origin.left : docBox.right - origin.left;
  const anchors = new Map();
  const at = (id) => {
    if (!anchors.has(id)) anchors.set(id, anchor(st, id, origin));
    return anchors.get(id);
  };
  // Short arcs first, so that they take the low lanes and longer ones arch over them.
  const placed = [];
  for (const arc of arcs) {
    const a = at(arc.from);
    const b = at(arc.to);
    if (!a || !b) continue;
    const from = st.marksById.get(arc.from);
    const to = st.marksById.get(arc.to);
    const forward = from.start <= to.start; // the source comes first in the text
    placed.push({ arc, src: a, dst: b, first: forward ? a : b, second: forward ? b : a,
                  span: Math.abs(a.y - b.y) * 100 + Math.abs(a.x - b.x) });
  }
  const gap = lineHeight(st) - (placed.length ? placed[0].src.h : 0);
  placed.sort((x, y) => x.span - y.span);
  const lanes = new Map();
  const most = Math.max(1, Math.floor((gap - RISE) / LANE) + 1);
  const frag = document.createDocumentFragment();
  const labels = labelPlaces();
  for (const { arc, dst, first, second } of placed) {
    const cls = ["annot-arc", `annot-arc-${arc.kind}`, arc.c >= 0 ? `annot-c${arc.c}` : "annot-cx"];
    if (!arc.ok) cls.push("annot-arc-bad");
    if (arc.suggestion) cls.push("annot-arc-suggested");
    if (st.selected && (arc.from === st.selected || arc.to === st.selected)) cls.push("annot-arc-on");
    const label = arc.kind === "link" ? (arc.ok ? "=" : "≠") : arc.label;
    const g = svgEl("g", { "data-id": arc.id, "data-from": arc.from, "data-to": arc.to, "data-kind": arc.kind,
                           "data-label": label }, cls.join(" "));
    const row1 = Math.round(first.y);
    if (Math.abs(first.y - second.y) < first.h / 2) {
      const level = first.y - RISE - LANE * takeLane(lanes, row1, first.x, second.x, most);
      piece(g, first, second, level, [dst], label, labels);
    } else {
      const row2 = Math.round(second.y);
      const out = { x: lineEnd, y: first.y, edge: true };
      const into = { x: lineStart, y: second.y, edge: true };
      const l1 = first.y - RISE - LANE * takeLane(lanes, row1, first.x, lineEnd, most);
      const l2 = second.y - RISE - LANE * takeLane(lanes, row2, lineStart, second.x, most);
      piece(g, first, out, l1, dst === first ? [first] : [], label, labels);
      piece(g, into, second, l2, dst === second ? [second] : [], label, labels);
    }
    frag.appendChild(g);
  }
  const w = String(Math.round(origin.width));
  const h = String(Math.round(origin.height));
  if (svg.getAttribute("width") !== w) svg.setAttribute("width", w);
  if (svg.getAttribute("height") !== h) svg.setAttribute("height", h);
  svg.replaceChildren(frag);
  st.root.dataset.arcs = String(placed.length);
  st.root.dataset.arcsMs = String(performance.now() - t0);
}

// Redraw at the next frame, once however many times it is asked for in between.
function scheduleArcs(st) {
  if (st.arcsFrame) return;
  st.arcsFrame = requestAnimationFrame(() => {
    st.arcsFrame = 0;
    drawArcs(st);
  });
}

function markArcsOf(st, id) {
  for (const g of st.svg.querySelectorAll(".annot-arc-on")) g.classList.remove("annot-arc-on");
  if (!id) return;
  for (const g of st.svg.querySelectorAll("g.annot-arc")) {
    if (g.dataset.from === id || g.dataset.to === id) g.classList.add("annot-arc-on");
  }
}
