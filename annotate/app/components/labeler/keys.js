// Keys by physical position (KeyboardEvent.code), so that a Persian or Arabic layout works like a US one: the key
// marked G types «ل» there, and its code is still "KeyG".  The table of keys comes from Python
// (annotate.app.labeler.KEYS); the caret keys are handled here.

const CARET_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]);

// The action a key event asks for ("next", "save", ...), or null.
function keyAction(keys, ev) {
  const ctrl = ev.ctrlKey || ev.metaKey;
  if (ev.altKey) return null;
  // A character that names an action wins (? is shift+/ on a US layout, but not on every layout).
  for (const k of keys) if (k.ctrl === ctrl && k.chars.includes(ev.key)) return k.action;
  for (const k of keys) if (k.ctrl === ctrl && k.shift === ev.shiftKey && k.codes.includes(ev.code)) return k.action;
  return null;
}

// The label whose hotkey this event is: by code for letters and digits (the number row or the keypad), else by the
// character typed.  Never with a modifier: shift+A, ctrl+S and the like belong to the labeler's own keys.
function labelForKey(labels, ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return null;
  for (const lab of labels) {
    if (!lab.hotkey) continue;
    if (lab.code) {
      if (ev.code === lab.code || ev.code === "Numpad" + lab.hotkey) return lab;
    } else if (ev.key === lab.hotkey) {
      return lab;
    }
  }
  return null;
}

// Moving the caret (or, with shift, the focus end of the selection) the way a text editor does.  Left and right
// are visual, so in right-to-left text the left arrow moves forward, as it does in an editor.
function moveCaret(st, ev) {
  const sel = document.getSelection();
  if (!sel) return;
  if (sel.rangeCount === 0 || !st.doc.contains(sel.focusNode)) placeCaret(st);
  if (sel.rangeCount === 0) return;
  const byWord = ev.ctrlKey || ev.metaKey;
  const alter = ev.shiftKey ? "extend" : "move";
  const k = ev.key;
  if (byWord && (k === "Home" || k === "End")) {
    const p = k === "Home" ? offsetPoint(st, 0) : offsetPoint(st, st.text.length);
    if (!p) return;
    if (ev.shiftKey) sel.extend(p[0], p[1]);
    else sel.collapse(p[0], p[1]);
  } else if (k === "PageUp" || k === "PageDown") {
    const lines = Math.max(1, Math.floor(window.innerHeight / (2.5 * lineHeight(st))));
    for (let i = 0; i < lines; i++) sel.modify(alter, k === "PageUp" ? "backward" : "forward", "line");
  } else {
    const dir = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "backward", ArrowDown: "forward",
                  Home: "backward", End: "forward" }[k];
    const unit = k === "ArrowUp" || k === "ArrowDown" ? "line"
      : k === "Home" || k === "End" ? "lineboundary" : byWord ? "word" : "character";
    sel.modify(alter, dir, unit);
  }
  if (!st.doc.contains(sel.focusNode)) placeCaret(st); // moved out of the text: back to its edge
  const s = textSelection(st);
  setStatus(st, s ? `selected ${s.end - s.start} characters — press a label key` : "");
  showCaret(st, true);
}

// A caret for an annotator who has none in the text yet: at the selected mark, else at the first line in view.
function placeCaret(st) {
  const sel = document.getSelection();
  const spans = st.selected && st.spansById.get(st.selected);
  if (spans) {
    const t = firstText(spans[0]);
    if (t) sel.collapse(t, 0);
    return;
  }
  const r = st.doc.getBoundingClientRect();
  const headBottom = st.head.getBoundingClientRect().bottom;
  const y = Math.max(r.top, headBottom) + lineHeight(st) / 2;
  const x = st.doc.dir === "rtl" ? r.right - 4 : r.left + 4;
  let pos = null;
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    if (p) pos = [p.offsetNode, p.offset];
  } else if (document.caretRangeFromPoint) {
    const r = document.caretRangeFromPoint(x, y);
    if (r) pos = [r.startContainer, r.startOffset];
  }
  if (pos && st.doc.contains(pos[0])) {
    sel.collapse(pos[0], pos[1]);
  } else {
    const p = offsetPoint(st, 0);
    if (p) sel.collapse(p[0], p[1]);
  }
}

function lineHeight(st) {
  return parseFloat(getComputedStyle(st.doc).lineHeight) || 32;
}

// The caret itself: a collapsed selection in text that is not editable is invisible, so the labeler draws one.
function showCaret(st, scroll) {
  const sel = document.getSelection();
  const on = document.activeElement === st.root && sel && sel.rangeCount > 0 && sel.isCollapsed &&
    st.doc.contains(sel.focusNode);
  if (!on) {
    st.caret.hidden = true;
    return;
  }
  const range = document.createRange();
  range.setStart(sel.focusNode, sel.focusOffset);
  const rects = range.getClientRects();
  const b = rects.length ? rects[0] : range.getBoundingClientRect();
  const body = st.body.getBoundingClientRect();
  st.caret.hidden = false;
  st.caret.style.left = `${b.left - body.left}px`;
  st.caret.style.top = `${b.top - body.top}px`;
  st.caret.style.height = `${Math.max(b.height, 12)}px`;
  // Restart the blink so the caret is visible right after it moved.
  st.caret.style.animation = "none";
  void st.caret.offsetWidth;
  st.caret.style.animation = "";
  if (scroll) st.caret.scrollIntoView({ block: "nearest", inline: "nearest" });
}
