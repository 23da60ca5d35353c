"""The text model: Unicode normalisation and the hashes built on it (normalize), repair of
encoding damage (repair), a document split into paragraphs and sentences (segment), the times an
article mentions (timerefs), its quoted speech (quotes) and the longest run of words two texts
share (runs).

May import the top level (cpsdiff.__version__, cpsdiff.errors, cpsdiff.model); nothing above it.
"""
