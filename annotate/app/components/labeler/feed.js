// The labeler's data (annotate.app.labeler.wire_payload), handed to the labeler on the page (labeler.js).  A
// component of its own, so that the labeler's element, which carries all its source, stays the same from run to
// run: Streamlit then sends that element as a reference to what the browser already holds, and each edit costs
// only this small one.  Data that arrives before the labeler is there waits in the hub until it asks.  The same
// component, under another key, brings what an undo and a redo would draw (annotate.app.labeler.send_previews):
// kept in the hub until a key asks for it (preview.js).

const HUB = (globalThis.__annotateLabelerHub ??= { pending: new Map(), listeners: new Map() });

export default function ({ data, parentElement }) {
  const box = parentElement.closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none"; // nothing to show, and no gap in the column
  if (data.previews) {
    (HUB.previews ??= new Map()).set(data.key, data);
    return;
  }
  HUB.pending.set(data.key, data);
  for (const [name, shown] of Object.entries(data.stale || {})) { // panels that follow the labeler (refresh.js)
    (HUB.stale ??= new Map()).set(`${data.key}:${name}`, shown);
    HUB.followers?.get(`${data.key}:${name}`)?.();
  }
  const listener = HUB.listeners.get(data.key);
  if (listener) listener(data);
}
