"""Reading what the user names: one source (a file, a URL, stdin; loading) or a whole corpus
of versions (files, directories, globs, JSON Lines; corpus).

May import: cpsdiff.errors, cpsdiff.model, cpsdiff.text, cpsdiff.web.
"""
