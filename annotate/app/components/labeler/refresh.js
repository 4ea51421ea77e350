// A panel that follows the labeler (annotate.app.labeler.follow_labeler): the page redraws the labeler alone after
// an edit, and the labeler's data says when what such a panel shows went stale (`stale`, the version the panel
// drew).  This element asks for a rerun of the fragment it is in, once per stale version, after the labeler's run
// (a widget's rerun request waits for the running one): the mark is drawn first, the panel follows.

const HUB = (globalThis.__annotateLabelerHub ??= { pending: new Map(), listeners: new Map() });
HUB.stale ??= new Map();
HUB.followers ??= new Map();

export default function ({ data, parentElement, setTriggerValue }) {
  const box = parentElement.closest('[data-testid="stElementContainer"]');
  if (box) box.style.display = "none"; // nothing to show, and no gap in the panel
  const ask = () => {
    if (HUB.stale.get(`${data.key}:${data.name}`) === data.shown) {
      HUB.stale.delete(`${data.key}:${data.name}`);
      setTriggerValue("refresh", data.shown);
    }
  };
  HUB.followers.set(`${data.key}:${data.name}`, ask);
  ask();
}
