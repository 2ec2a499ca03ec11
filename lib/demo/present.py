"""The demo presentation as HTML: dark, high contrast, large type, one take per row with big
cover art and a big player, made for a projector (1920x1080 and 1280x720).

Three blocks, so the one people read holds words only:

* `content_html` - the playlist: titles, notes, covers and players. Its files are served by
  `/play/<slug>/<n>/audio|cover` (the n-th take shown, 1-based), so no track, task or
  provider id appears even in the page's markup, and nothing is fetched from outside the app;
* `STYLE` - CSS that hides Streamlit's sidebar, navigation, header, toolbar, menu and "Deploy"
  and sets the dark layout;
* `SCRIPT` - one take plays at a time; space plays or pauses, the down and up arrows (or N
  and P) go to the next or previous take.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from lib.demo.playlists import DemoItem, DemoPlaylist
from lib.views.words import plural

#: kinds of file an item has in the presentation (`file_url`): a take's audio and cover, an
#: image item's picture, a video item's video
KINDS = ("audio", "cover", "image", "video")


def file_url(slug: str, number: int, kind: str) -> str:
    """``/play/<slug>/<n>/<audio|cover>``: the n-th shown take's archived file."""
    return f"/play/{quote(slug, safe='')}/{number}/{kind}"


def _cover(slug: str, item: DemoItem) -> str:
    if item.cover:
        return (f'<img class="sb-cover" src="{escape(file_url(slug, item.number, "cover"))}" '
                f'alt="Cover art of {escape(item.title)}">')
    initial = escape(item.title[:1].upper() or "♪")
    return f'<div class="sb-cover sb-cover-none" aria-hidden="true"><span>{initial}</span></div>'


def _media(slug: str, item: DemoItem) -> str:
    """An image item (the picture, big) or a video item (a big player)."""
    meta = f"{item.number:02d} · {'Image' if item.kind == 'image' else 'Video'}"
    detail = f'<p class="sb-detail">{escape(item.detail)}</p>' if item.detail else ""
    note = f'<p class="sb-note">{escape(item.note)}</p>' if item.note else ""
    if item.kind == "image":
        shown = (f'<img class="sb-picture" src="{escape(file_url(slug, item.number, "image"))}" '
                 f'alt="{escape(item.title)}">')
    else:
        shown = (f'<video class="sb-video" controls preload="metadata" '
                 f'src="{escape(file_url(slug, item.number, "video"))}"></video>')
    return (f'<li class="sb-take sb-{item.kind}" data-n="{item.number}">'
            '<div class="sb-body">'
            f'<p class="sb-meta">{meta}</p>'
            f'<p class="sb-title" role="heading" aria-level="2">{escape(item.title)}</p>'
            f"{detail}{note}</div>{shown}</li>")


def _item(slug: str, item: DemoItem) -> str:
    if item.kind != "audio":
        return _media(slug, item)
    meta = f"{item.number:02d}"
    if item.duration_text:
        meta += f" · {item.duration_text}"
    detail = f'<p class="sb-detail">{escape(item.detail)}</p>' if item.detail else ""
    note = f'<p class="sb-note">{escape(item.note)}</p>' if item.note else ""
    audio = escape(file_url(slug, item.number, "audio"))
    return (
        f'<li class="sb-take" data-n="{item.number}">{_cover(slug, item)}'
        '<div class="sb-body">'
        f'<p class="sb-meta">{meta}</p>'
        f'<p class="sb-title" role="heading" aria-level="2">{escape(item.title)}</p>'
        f"{detail}{note}"
        '<div class="sb-player">'
        f'<button class="sb-play" type="button" aria-label="Play or pause {escape(item.title)}">'
        '<span class="sb-icon-play">▶</span><span class="sb-icon-pause">❚❚</span></button>'
        f'<audio controls preload="metadata" src="{audio}"></audio>'
        "</div></div></li>")


def content_html(playlist: DemoPlaylist) -> str:
    """The playlist, for people: its title, subtitle, notes and takes."""
    head = [f'<p class="sb-h1" role="heading" aria-level="1">{escape(playlist.title)}</p>']
    if playlist.subtitle:
        head.append(f'<p class="sb-sub">{escape(playlist.subtitle)}</p>')
    if playlist.notes:
        head += [f'<p class="sb-notes">{escape(line)}</p>'
                 for line in playlist.notes.splitlines() if line.strip()]
    noun = "take" if all(i.kind == "audio" for i in playlist.items) else "item"
    if playlist.items:
        body = ('<ol class="sb-list">'
                + "".join(_item(playlist.slug, i) for i in playlist.items) + "</ol>"
                + f'<p class="sb-foot">{plural(len(playlist.items), noun)} · '
                  "Space plays or pauses · ↓ ↑ next or previous take</p>")
    else:
        body = ('<div class="sb-empty"><p>There is nothing to play in this playlist yet.</p>'
                "<p>Takes appear here once they are approved.</p></div>")
    return f'<div class="sb-demo">{"".join(head)}{body}</div>'


def missing_html() -> str:
    """What an unknown or deleted share link shows."""
    return ('<div class="sb-demo"><div class="sb-empty">'
            '<p class="sb-h1" role="heading" aria-level="1">This demo link leads nowhere</p>'
            "<p>The playlist may have been removed, or the link was copied only in part. "
            "Ask whoever shared it for a new link.</p></div></div>")


ACCENT = "#f5b942"

STYLE = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stDeployButton"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stTopNavigation"],
footer { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stMain"], [data-testid="stAppViewContainer"] {
  background: #0b0e14 !important; color: #f5f6f8; color-scheme: dark; }
[data-testid="stMainBlockContainer"] { max-width: 1760px; padding: 3.5rem 4.5rem 3rem; }
.sb-demo { --u: clamp(16px, 1.25vw, 30px); font-size: var(--u); line-height: 1.35;
  color: #f5f6f8; }
.sb-demo p { margin: 0 !important; line-height: 1.3 !important; }
.sb-demo .sb-h1 { font-size: calc(var(--u) * 3.6) !important; font-weight: 800;
  line-height: 1.05 !important; letter-spacing: -0.02em; color: #ffffff; }
.sb-demo .sb-sub { margin-top: 0.5em !important; font-size: calc(var(--u) * 1.55) !important;
  color: #c9d1dc; }
.sb-demo .sb-notes { margin-top: 0.6em !important; font-size: calc(var(--u) * 1.15) !important;
  color: #aeb8c6; max-width: 70ch; }
.sb-demo ol.sb-list { list-style: none; padding: 0 !important; margin: 2.2em 0 0 !important;
  display: flex; flex-direction: column; gap: 1.4em; }
.sb-demo li.sb-take { margin: 0 !important; padding: 1.1em; display: grid;
  grid-template-columns: calc(var(--u) * 14) 1fr; gap: 1.8em; align-items: center;
  background: #161b25; border: 3px solid #232a37; border-radius: 26px;
  transition: border-color .2s, background .2s; }
.sb-demo li.sb-take.sb-playing { border-color: """ + ACCENT + """; background: #1b2130; }
.sb-cover { width: 100%; aspect-ratio: 1 / 1; object-fit: cover; border-radius: 18px;
  display: block; background: #232a37; box-shadow: 0 10px 40px rgba(0,0,0,.45); }
.sb-cover-none { display: flex; align-items: center; justify-content: center;
  background: linear-gradient(135deg, #3a2f6b, #0f5e7a); }
.sb-cover-none span { font-size: calc(var(--u) * 5); font-weight: 800;
  color: rgba(255,255,255,.85); }
.sb-body { min-width: 0; display: flex; flex-direction: column; gap: 0.45em; }
.sb-demo .sb-meta { font-size: calc(var(--u) * 1.05) !important; font-weight: 700;
  letter-spacing: .12em; color: """ + ACCENT + """; }
.sb-demo .sb-title { font-size: calc(var(--u) * 2.4) !important; font-weight: 800;
  line-height: 1.1 !important; color: #ffffff; overflow-wrap: anywhere; }
.sb-demo .sb-detail { font-size: calc(var(--u) * 1.1) !important; color: #aeb8c6; }
.sb-demo .sb-note { font-size: calc(var(--u) * 1.35) !important; color: #eef1f5;
  border-left: 5px solid """ + ACCENT + """; padding-left: 0.7em;
  margin-top: 0.25em !important; }
.sb-player { display: flex; align-items: center; gap: 1em; margin-top: 0.7em; }
.sb-play { flex: none; width: calc(var(--u) * 3.6); height: calc(var(--u) * 3.6);
  border-radius: 50%; border: none; background: """ + ACCENT + """; color: #10131a;
  font-size: calc(var(--u) * 1.4); font-weight: 900; cursor: pointer; display: flex;
  align-items: center; justify-content: center; box-shadow: 0 6px 24px rgba(245,185,66,.35); }
.sb-play:focus-visible { outline: 4px solid #ffffff; outline-offset: 4px; }
.sb-icon-pause { display: none; letter-spacing: -0.15em; }
.sb-take.sb-playing .sb-icon-play { display: none; }
.sb-take.sb-playing .sb-icon-pause { display: inline; }
.sb-player audio { flex: 1; width: 100%; height: calc(var(--u) * 2.8); min-width: 0; }
.sb-demo .sb-foot { margin-top: 1.8em !important; color: #8a95a5;
  font-size: calc(var(--u) * 0.95) !important; }
.sb-empty { margin-top: 2em; padding: 2.2em; border-radius: 26px; background: #161b25;
  color: #dfe4ea; display: flex; flex-direction: column; gap: 0.8em; }
.sb-demo .sb-empty p:not(.sb-h1) { font-size: calc(var(--u) * 1.3) !important; }
.sb-demo li.sb-image, .sb-demo li.sb-video { grid-template-columns: 1fr; }
.sb-picture, .sb-video { width: 100%; max-height: 78vh; object-fit: contain;
  border-radius: 18px; background: #0b0e14; display: block; }
@media (max-width: 900px) { .sb-demo li.sb-take { grid-template-columns: 1fr; } }
</style>"""

SCRIPT = """<script>
(function () {
  if (window.__sbDemo) return;
  window.__sbDemo = true;
  const players = () => Array.from(document.querySelectorAll('.sb-demo audio, .sb-demo video'));
  const mark = () => document.querySelectorAll('.sb-take').forEach((li) => {
    const a = li.querySelector('audio, video');
    li.classList.toggle('sb-playing', !!a && !a.paused);
  });
  document.addEventListener('play', (e) => {
    if (!(e.target instanceof HTMLMediaElement) || !e.target.closest('.sb-demo')) return;
    window.__sbCurrent = e.target;
    players().forEach((a) => { if (a !== e.target && !a.paused) a.pause(); });
    mark();
  }, true);
  ['pause', 'ended'].forEach((kind) => document.addEventListener(kind, mark, true));
  document.addEventListener('click', (e) => {
    const button = e.target.closest && e.target.closest('.sb-play');
    if (!button) return;
    const a = button.closest('.sb-take').querySelector('audio');
    if (a.paused) a.play(); else a.pause();
  });
  const go = (step) => {
    const list = players();
    if (!list.length) return;
    const at = list.indexOf(window.__sbCurrent);
    const next = list[Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : at + step))];
    if (window.__sbCurrent && window.__sbCurrent !== next) window.__sbCurrent.pause();
    next.currentTime = 0;
    next.play();
    const take = next.closest('.sb-take');
    take.scrollIntoView({behavior: 'smooth', block: 'center'});
    // the focus follows the take: Space on a focused play button must not restart an old one
    const button = take.querySelector('.sb-play');
    if (button) button.focus({preventScroll: true});
  };
  // Space acts on the take that is playing (or was last played), whatever has the focus: a
  // take's play button would otherwise "click" itself on keyup and start its own take again
  const takeButton = (e) => e.target.closest && e.target.closest('.sb-take .sb-play');
  document.addEventListener('keyup', (e) => {
    if (e.code === 'Space' && takeButton(e)) e.preventDefault();
  }, true);
  document.addEventListener('keydown', (e) => {
    if (e.target.closest && e.target.closest('input, textarea, select')) return;
    const list = players();
    if (!list.length) return;
    if (e.code === 'Space') {
      const own = e.target.closest && e.target.closest('button');
      if (e.target instanceof HTMLMediaElement || (own && !takeButton(e))) return;
      e.preventDefault();
      const a = list.includes(window.__sbCurrent) ? window.__sbCurrent : list[0];
      if (a.paused) a.play(); else a.pause();
    } else if (e.key === 'ArrowDown' || e.key === 'n' || e.key === 'N') {
      e.preventDefault(); go(1);
    } else if (e.key === 'ArrowUp' || e.key === 'p' || e.key === 'P') {
      e.preventDefault(); go(-1);
    }
  });
})();
</script>"""
