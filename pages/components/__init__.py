"""Widgets shared by the pages (UI only): the operation forms and pages, source pickers, the
submit panel, board cards, media URLs and the sidebar."""
