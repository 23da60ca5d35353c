"""The web: fetching pages under a time budget (fetch, deadline), politeness towards hosts
(polite), RSS/Atom feeds (feeds) and the article text of an HTML page (pages).

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text.
"""
