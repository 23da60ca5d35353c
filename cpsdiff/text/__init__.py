"""The text model: Unicode normalisation and hashing (normalize), encoding-damage repair
(repair), splitting a document into paragraphs and sentences (segment), the times an article
mentions (timerefs) and quoted speech (quotes).

May import: cpsdiff.errors, cpsdiff.model (and nothing else of cpsdiff).
"""
