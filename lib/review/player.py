"""The blind A/B player: one transport over two `<audio>` elements that play in sync.

`player_html(a_url, b_url, a_gain_db, b_gain_db)` returns a small self-contained HTML page (the
Listen page shows it with `st.components.v1.html`):

* both elements load and play together; only the chosen side is audible, the other is muted,
  so switching between A and B is instant and keeps the position (the muted one is re-aligned
  on every switch and whenever it drifts more than `RESYNC_S`);
* level matching happens here, client side: each element's ``volume`` is the trial's gain
  (`lib.review.levels.volume`, gains are never above 0 dB, so a volume of at most 1 applies
  them exactly); the served files are the archived ones, untouched;
* one play/pause button, a seek bar and the time; keys ``A`` and ``B`` switch, space plays or
  pauses (also while the focus is on the page around the player, not in a text field);
* the URLs hold only random tokens (`lib.review.sessions.audio_path`) and the player shows no
  name, title or label: only "A" and "B".

The root element carries ``data-active`` (``a`` | ``b``) and ``data-volume-a`` /
``data-volume-b``, and ``window.blindPlayer`` exposes ``state()``, for the browser tests.
"""

from __future__ import annotations

import html
import json

from lib.review.levels import volume

#: the muted element is moved back in line when it drifts further than this (seconds)
RESYNC_S = 0.08
HEIGHT = 132

_TEMPLATE = """<!doctype html><html><head><meta charset="utf-8"><style>
:root{--fg:#262730;--line:rgba(128,128,140,.45);--face:rgba(128,128,140,.08)}
body{margin:0;font-family:"Source Sans Pro","Source Sans 3",sans-serif;color:var(--fg);
 background:transparent}
#blind{border:1px solid var(--line);border-radius:.6rem;padding:.7rem .9rem;display:flex;
 flex-direction:column;gap:.55rem;background:var(--face)}
.row{display:flex;align-items:center;gap:.7rem}
button{font:inherit;color:var(--fg);border:1px solid var(--line);background:transparent;
 border-radius:.5rem;cursor:pointer}
button:hover{border-color:#ff4b4b}
#play{width:2.6rem;height:2.6rem;font-size:1.2rem}
#seek{flex:1}
#time{font-variant-numeric:tabular-nums;min-width:6.5rem;text-align:right}
.side{width:5.5rem;height:2.6rem;font-size:1.25rem;font-weight:600}
.side.on{background:#ff4b4b;border-color:#ff4b4b;color:#fff}
.hint{opacity:.7;font-size:.85rem}
#seek{accent-color:#ff4b4b}
</style></head><body>
<div id="blind" data-active="a" data-volume-a="__VA__" data-volume-b="__VB__">
 <audio id="a" preload="auto" src="__A__"></audio>
 <audio id="b" preload="auto" src="__B__" muted></audio>
 <div class="row">
  <button id="play" title="Play or pause (space)" aria-label="Play">▶</button>
  <input id="seek" type="range" min="0" max="1000" value="0" aria-label="Position">
  <span id="time">0:00 / 0:00</span>
 </div>
 <div class="row">
  <button id="side-a" class="side on" aria-pressed="true" title="Listen to A (key A)">A</button>
  <button id="side-b" class="side" aria-pressed="false" title="Listen to B (key B)">B</button>
  <span class="hint" id="hint">Switch with the A and B keys; space plays or pauses. Both play
   together at the same loudness: switching keeps the position.</span>
 </div>
</div>
<script>
(function(){
 const V = __VOLUMES__, RESYNC = __RESYNC__;
 try {  // follow the app's theme (light or dark): its text colour and font
   const app = window.parent.document.querySelector('[data-testid=stApp]') ||
     window.parent.document.body;
   const css = window.parent.getComputedStyle(app);
   document.documentElement.style.setProperty('--fg', css.color);
   document.body.style.fontFamily = css.fontFamily;
 } catch (e) {}
 const els = {a: document.getElementById('a'), b: document.getElementById('b')};
 const root = document.getElementById('blind'), play = document.getElementById('play');
 const seek = document.getElementById('seek'), time = document.getElementById('time');
 let active = 'a', seeking = false;
 els.a.volume = V.a; els.b.volume = V.b; els.a.muted = false; els.b.muted = true;
 const other = s => s === 'a' ? 'b' : 'a';
 const fmt = t => { t = isFinite(t) ? Math.max(0, t) : 0;
   return Math.floor(t / 60) + ':' + String(Math.floor(t % 60)).padStart(2, '0'); };
 const length = () => Math.max(els.a.duration || 0, els.b.duration || 0);
 function show(){
   const t = els[active].currentTime, d = length();
   time.textContent = fmt(t) + ' / ' + fmt(d);
   if (!seeking && d) seek.value = Math.round(1000 * t / d);
   const playing = !els.a.paused || !els.b.paused;
   play.textContent = playing ? '❚❚' : '▶';
   play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
 }
 function align(from, to){
   const t = els[from].currentTime;
   if (Math.abs(els[to].currentTime - t) > RESYNC) {
     try { els[to].currentTime = Math.min(t, els[to].duration || t); } catch (e) {}
   }
 }
 function choose(side){
   if (side === active) return;
   const prev = active; active = side;
   try { els[side].currentTime = els[prev].currentTime; } catch (e) {}
   els[side].muted = false; els[prev].muted = true;
   root.dataset.active = side;
   for (const s of ['a', 'b']) {
     const btn = document.getElementById('side-' + s);
     btn.classList.toggle('on', s === side); btn.setAttribute('aria-pressed', s === side);
   }
   show();
 }
 function toggle(){
   if (els.a.paused && els.b.paused) {
     align(active, other(active));
     els.a.play().catch(() => {}); els.b.play().catch(() => {});
   } else { els.a.pause(); els.b.pause(); }
 }
 play.onclick = toggle;
 document.getElementById('side-a').onclick = () => choose('a');
 document.getElementById('side-b').onclick = () => choose('b');
 seek.oninput = () => { seeking = true; };
 seek.onchange = () => { const t = length() * seek.value / 1000;
   for (const s of ['a', 'b']) { try { els[s].currentTime = t; } catch (e) {} }
   seeking = false; show(); };
 for (const s of ['a', 'b']) {
   els[s].addEventListener('timeupdate', () => {
     if (s === active) align(active, other(active));
     show(); });
   els[s].addEventListener('play', show); els[s].addEventListener('pause', show);
   els[s].addEventListener('loadedmetadata', show);
   els[s].addEventListener('ended', () => { if (s === active) { els.a.pause(); els.b.pause(); } });
 }
 const framed = window.parent !== window;
 let host = null;
 try { host = framed ? window.parent.document : null; } catch (e) {}
 function onKey(ev){
   if (framed && (!window.frameElement || !window.frameElement.isConnected)) {  // gone
     try { host.removeEventListener('keydown', onKey); } catch (e) {}
     return;
   }
   const t = ev.target, tag = t && t.tagName ? t.tagName.toLowerCase() : '';
   if (tag === 'input' && t.type !== 'range' || tag === 'textarea' || tag === 'select' ||
       (t && t.isContentEditable) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
   const k = ev.key.toLowerCase();
   if (k === 'a' || k === 'b') { choose(k); ev.preventDefault(); }
   else if (k === ' ') { toggle(); ev.preventDefault(); }
 }
 document.addEventListener('keydown', onKey);
 try {  // the page around the player (same origin): the keys work without clicking it first
   if (host && host !== document) {
     if (window.parent.__blindKeys) host.removeEventListener('keydown', window.parent.__blindKeys);
     window.parent.__blindKeys = onKey; host.addEventListener('keydown', onKey);
   }
 } catch (e) {}
 window.blindPlayer = {choose, toggle, state: () => ({active, a: els.a.currentTime,
   b: els.b.currentTime, paused: els.a.paused && els.b.paused, volumeA: els.a.volume,
   volumeB: els.b.volume, mutedA: els.a.muted, mutedB: els.b.muted})};
 show();
})();
</script></body></html>"""


def volumes(a_gain_db: float, b_gain_db: float) -> dict[str, float]:
    """The two elements' ``volume`` for the trial's gains."""
    return {"a": volume(a_gain_db), "b": volume(b_gain_db)}


def player_html(a_url: str, b_url: str, a_gain_db: float, b_gain_db: float) -> str:
    """The player page for one trial (see the module notes)."""
    v = volumes(a_gain_db, b_gain_db)
    return (_TEMPLATE.replace("__A__", html.escape(a_url, quote=True))
            .replace("__B__", html.escape(b_url, quote=True))
            .replace("__VA__", str(v["a"])).replace("__VB__", str(v["b"]))
            .replace("__VOLUMES__", json.dumps(v)).replace("__RESYNC__", str(RESYNC_S)))
