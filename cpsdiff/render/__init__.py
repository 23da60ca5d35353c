"""Renderers: every output form of a comparison, a lineage or a blame -- the terminal views,
--stat, JSON and JSON Lines, CSV/TSV tables, Markdown and HTML reports -- with the labels and
summary lines they share and the colour, width and pager decisions (output).

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web, cpsdiff.inputs, cpsdiff.diff,
cpsdiff.lineage, cpsdiff.store.
"""
