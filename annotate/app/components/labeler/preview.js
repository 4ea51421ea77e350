// Undo and redo drawn the moment their key is pressed.  With every run Python sends what an undo and a redo of the
// set would draw, as deltas against the version the browser holds (annotate.app.labeler.send_previews; they wait
// in the hub, see feed.js).  Ctrl+Z sends the undo as before and, when the browser is still at that version with
// no edit of its own on the way, draws the preview at once.  The preview is kept apart (what each mark and arc was
// before it): the first data from Python that took the undo in, or that changed the marks without it, takes the
// preview back before applying its own delta, so what stays drawn is always what the server did.

// The Undo and Redo buttons beside the labeler (Streamlit's, named by Python with the previews) draw the preview
// too, as they are clicked; their own callback applies the step, and the first data after it takes the preview
// back (a button's preview has no action number).
function onHistoryButton(st, ev) {
  const sent = HUB.previews && HUB.previews.get(st.key);
  if (!sent || !sent.buttons || !ev.target.closest) return;
  for (const which of ["undo", "redo"]) {
    const key = sent.buttons[which];
    if (!key || !ev.target.closest(`.st-key-${CSS.escape(key)}`)) continue;
    const button = ev.target.closest("button");
    const p = button && !button.disabled ? previewFor(st, which) : null;
    if (p) showPreview(st, p, null);
    return;
  }
}

// The preview of `which` ("undo" or "redo") that fits what is drawn now, or null.
function previewFor(st, which) {
  const sent = HUB.previews && HUB.previews.get(st.key);
  const cache = CACHE.get(st.key);
  if (!sent || !cache || cache.preview || !sent.previews[which]) return null;
  if (sent.static_key !== cache.staticKey || sent.version !== cache.version) return null;
  if (st.renderedVersion !== cache.version) return null;
  if (st.queue.some((a) => a.type !== "select")) return null; // an edit on its way: the preview is of before it
  return sent.previews[which];
}

// Undo or redo: the action goes to Python, and its preview, if one fits, is drawn now.
function moveInHistory(st, which) {
  const p = previewFor(st, which);
  emit(st, { type: which });
  if (p) showPreview(st, p, st.seq);
}

function showPreview(st, p, seq) {
  const cache = CACHE.get(st.key);
  const kept = { seq, marks: new Map(), arcs: new Map() };
  const ranges = [];
  const keep = (map, saved, id) => { if (!saved.has(id)) saved.set(id, map.get(id) || null); };
  for (const id of p.marks.remove) {
    const m = cache.marks.get(id);
    keep(cache.marks, kept.marks, id);
    if (m) ranges.push([m.start, m.end]);
    cache.marks.delete(id);
  }
  for (const m of p.marks.upsert) {
    const was = cache.marks.get(m.id);
    keep(cache.marks, kept.marks, m.id);
    if (was) ranges.push([was.start, was.end]);
    ranges.push([m.start, m.end]);
    cache.marks.set(m.id, m);
  }
  for (const id of p.arcs.remove) {
    keep(cache.arcs, kept.arcs, id);
    cache.arcs.delete(id);
  }
  for (const a of p.arcs.upsert) {
    keep(cache.arcs, kept.arcs, a.id);
    cache.arcs.set(a.id, a);
  }
  cache.preview = kept;
  st.root.dataset.preview = seq === null ? "button" : String(seq);
  redrawAfterPreview(st, ranges);
  if (p.select && st.marksById.has(p.select)) selectMark(st, p.select, false);
  else if (st.selected && !st.marksById.has(st.selected)) selectMark(st, null, false);
  if (p.status) setStatus(st, p.status);
}

// Take the preview back when `data` (from Python) took its action in (`ack`) or changed the marks without it, or
// is the first data after a button's preview: every mark and arc it touched is as it was.  Returns the text
// ranges to redraw.
function takeBackPreview(st, cache, data, ack) {
  const kept = cache.preview;
  if (!kept) return [];
  const d = data.delta;
  const waiting = kept.seq !== null && ack < kept.seq; // a key's action not taken in yet
  if (waiting && !d.full && d.version === cache.version && data.static_key === cache.staticKey) return [];
  cache.preview = null;
  delete st.root.dataset.preview;
  const ranges = [];
  for (const [id, was] of kept.marks) {
    const now = cache.marks.get(id);
    if (now) ranges.push([now.start, now.end]);
    if (was) {
      cache.marks.set(id, was);
      ranges.push([was.start, was.end]);
    } else {
      cache.marks.delete(id);
    }
  }
  for (const [id, was] of kept.arcs) {
    if (was) cache.arcs.set(id, was);
    else cache.arcs.delete(id);
  }
  return ranges;
}

function redrawAfterPreview(st, ranges) {
  render(st, ranges);
  scheduleArcs(st);
  if (st.searchBox.value.trim()) runSearch(st, true);
}
