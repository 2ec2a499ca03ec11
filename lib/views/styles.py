"""The app's own stylesheet: sent once, in the page shell every page URL answers with
(`lib.app.page_shell`), instead of by a page's script (an `st.html` style block is one more
element whose code the browser fetches, and that React holds back, before the board's players).

Every rule is scoped by the keyed containers it styles (``st-key-...`` classes), so the sheet is
harmless on pages that do not have them; its selectors are more specific than Streamlit's own
single-class rules, which the frontend inserts after it.
"""

from __future__ import annotations

#: the waveform's height on a board card and on the detail (the PNG is stretched to the width)
CARD_WAVE_PX, DETAIL_WAVE_PX = 40, 80

#: The board's rows are rendered oldest first and shown reversed, so new tasks are appended
#: and never push a playing row to another position (a moved row is remounted and stops
#: playing). Cards off screen are not laid out until scrolled to (``content-visibility``;
#: their players still load), which spares a first visit the layout of ~4000 px of cards.
REVERSED_LIST_CSS = (".st-key-board-list{flex-direction:column-reverse !important}"
                     '.st-key-board-list [class*="st-key-task-"]{content-visibility:auto;'
                     "contain-intrinsic-size:auto 420px}")

#: Where cards are laid out as on the board: the board's list, and the task a form just sent
#: (`pages.components.submit_panel`, ``st-key-outcome-<op>``), and a recipe run's steps
#: (`pages.components.recipe_run`, ``st-key-recipe-step-<step>``).
CARDS = ':is(.st-key-board-list,[class*="st-key-outcome-"],[class*="st-key-recipe-step-"])'

#: A card (`pages.components.board`): its *Details* link at the top right, beside the head.
#: A card track: its waveform (a Markdown image) low across the column; its cover (the
#: Markdown's first image) at the left of its Markdown and player.
CARD_CSS = ('@cards [class*="st-key-task-"]{position:relative}'
            '@cards [class*="st-key-task-"]>[data-testid=stElementContainer]'
            ':has([data-testid=stPageLink]){position:absolute;top:.5rem;right:1rem;width:auto}'
            '@cards [class*="st-key-task-"]>[data-testid=stElementContainer]'
            ':first-child [data-testid=stMarkdownContainer]{padding-right:6.5rem}'
            '[class*="st-key-track-"] img[alt^="Waveform of"]{display:block;width:100%;'
            f'height:{CARD_WAVE_PX}px;object-fit:fill;margin:0}}'
            '@cards [class*="st-key-track-"] [data-testid=stMarkdownContainer]'
            '{position:relative;padding-left:112px;min-height:96px}'
            '@cards [class*="st-key-track-"] img[alt^="Cover of"]{position:absolute;'
            'left:0;top:0;width:96px;height:96px;object-fit:cover;border-radius:.5rem}'
            '@cards [class*="st-key-track-"] p:has(>img[alt^="Cover of"]){margin:0}'
            # the player (or "Waiting for the first track…") beside the cover's column
            '@cards [class*="st-key-track-"]>[data-testid=stElementContainer]'
            ':not(:first-child){margin-left:112px;width:calc(100% - 112px)}'
            ).replace("@cards", CARDS)

#: The script that keeps the reviewer's name in the browser (`pages.components.reviewer`)
#: draws nothing and takes no room (nor a gap: its container's layout wrapper goes too).
HIDDEN_CSS = (':is([class*="st-key-reviewer-sync-"],'
              '[data-testid=stLayoutWrapper]:has(>[class*="st-key-reviewer-sync-"]))'
              '{display:none !important}')

APP_CSS = REVERSED_LIST_CSS + CARD_CSS + HIDDEN_CSS
