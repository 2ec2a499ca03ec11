"""Blind A/B listening and review of takes.

* `pairs` - which takes meet (matched or all combinations, capped) and each reviewer's
  balanced, seeded order;
* `levels` - integrated loudness (pyloudnorm) and the gains that level a pair (never a boost);
* `stats` - win counts, Bradley-Terry (choix) with bootstrap intervals, Krippendorff's alpha;
* `sessions` - create a session from two variants of an experiment or two sets of tracks, let
  reviewers join and answer, read the outcome;
* `decisions` - approve, reject or flag a take, moderation notes;
* `reviewer` - the reviewer's name for a browser session: its checks, the session cookie
  (`POST /api/session/reviewer`) and the script a page sets it with;
* `player` - the blind A/B player (one transport over two synced, level-matched elements);
* `view` - what the Listen page and the reports show, in words (results tables, agreement,
  verdict, review badges and history).

Sessions, trials and decisions live in the task log (`lib.log`, migration m008_review).
"""
