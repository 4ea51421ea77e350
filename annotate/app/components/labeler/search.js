// Search in the text, on the matching view of annotate.text.view: the browser folds the text with the table Python
// sends (fold: character -> replacement, "" when dropped), so ي/ی, ك/ک, the three digit scripts and the
// diacritics match alike; ZWNJ is dropped too and a space in the query is optional, so «می شوند», «می‌شوند» and
// «میشوند» find each other.  Hits are mapped back to UTF-16 offsets of the frozen text and painted with the CSS
// Custom Highlight API (no element is added to the text, so marks and selections are untouched).

const ZWNJ = "\u200c";
const MAX_HITS = 5000;
const ATTACHED = /[\p{M}\u0640]/u; // diacritics and tatweel belong to the letter before them

// The folded text and, for each of its code units, the offset in the original it came from.
function foldedView(fold, text) {
  const out = [];
  const map = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    let f = fold[ch];
    if (f === undefined) f = ch === ZWNJ ? "" : ch.toLowerCase();
    if (f.length !== 1) {
      if (f === "") continue;
      f = ch; // a lower case that is longer (İ -> i̇) keeps the original: offsets stay one for one
    }
    out.push(f);
    map.push(i);
  }
  return { text: out.join(""), map };
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Hits of `query` in the document: [start, end) UTF-16 offsets of the frozen text, in order.
function findHits(st, query) {
  if (!st.folded) st.folded = foldedView(st.fold, st.text);
  const parts = foldedView(st.fold, query).text.split(/\s+/).filter(Boolean);
  if (!parts.length) return [];
  const re = new RegExp(parts.map(escapeRegExp).join("\\s*"), "g");
  const { text, map } = st.folded;
  const hits = [];
  let m;
  while ((m = re.exec(text)) && hits.length < MAX_HITS) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    const start = map[m.index];
    let end = map[m.index + m[0].length - 1] + 1;
    // Keep what the view dropped right after the last character (its diacritics), and a whole surrogate pair.
    while (end < st.text.length && (ATTACHED.test(st.text[end]) || isLowSurrogate(st.text.charCodeAt(end)))) end++;
    hits.push([start, end]);
  }
  return hits;
}

function isLowSurrogate(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

function hitRange(st, hit) {
  const a = offsetPoint(st, hit[0]);
  const b = offsetPoint(st, hit[1]);
  if (!a || !b) return null;
  const r = document.createRange();
  r.setStart(a[0], a[1]);
  r.setEnd(b[0], b[1]);
  return r;
}

function highlightName(st, current) {
  return `annot-search${current ? "-current" : ""}`;
}

// Recompute the hits (after typing, or after a redraw replaced the text nodes) and paint them.
function runSearch(st, keepIndex) {
  const q = st.searchBox.value;
  st.hits = q.trim() ? findHits(st, q) : [];
  if (!keepIndex || st.hitIndex >= st.hits.length) st.hitIndex = st.hits.length ? 0 : -1;
  paintHits(st);
}

function paintHits(st) {
  if (typeof Highlight === "undefined" || !CSS.highlights) {
    st.searchCount.textContent = st.hits.length ? `${st.hitIndex + 1}/${st.hits.length}` : "";
    return;
  }
  const all = [];
  let current = null;
  st.hits.forEach((h, i) => {
    const r = hitRange(st, h);
    if (!r) return;
    if (i === st.hitIndex) current = r;
    else all.push(r);
  });
  CSS.highlights.set(highlightName(st, false), new Highlight(...all));
  CSS.highlights.set(highlightName(st, true), current ? new Highlight(current) : new Highlight());
  const n = st.hits.length;
  st.searchCount.textContent = st.searchBox.value.trim()
    ? (n ? `${st.hitIndex + 1}/${n}${n >= MAX_HITS ? "+" : ""}` : "no hits") : "";
  st.root.dataset.hits = String(n);
}

// Step to the next (+1) or previous (-1) hit and bring it into view.
function stepHit(st, delta) {
  if (!st.hits.length) return;
  st.hitIndex = (st.hitIndex + delta + st.hits.length) % st.hits.length;
  paintHits(st);
  const r = hitRange(st, st.hits[st.hitIndex]);
  if (r) scrollRectIntoView(st, r.getBoundingClientRect(), "center");
}

// Leave the search box for the text with the current hit selected, ready for a label key.
function selectHit(st) {
  const hit = st.hits[st.hitIndex];
  st.root.focus({ preventScroll: true });
  if (!hit) return;
  const r = hitRange(st, hit);
  if (!r) return;
  const sel = document.getSelection();
  sel.removeAllRanges();
  sel.addRange(r);
  setStatus(st, `selected ${hit[1] - hit[0]} characters — press a label key`);
}

function onSearchKey(st, ev) {
  if (ev.key === "Enter") {
    ev.preventDefault();
    stepHit(st, ev.shiftKey ? -1 : 1);
  } else if (ev.key === "Escape") {
    ev.preventDefault();
    selectHit(st);
  }
}
