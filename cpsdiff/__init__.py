"""cpsdiff: see how news stories change, paragraph by paragraph.

Library entry points: ``parse_document(text, source)`` and ``compare(old, new)``.
"""

__version__ = "0.1.0"
__all__ = ["__version__", "compare", "parse_document"]


def __getattr__(name: str):
    # Lazy, so that `import cpsdiff` (and the CLI's start-up) pays only for what it uses.
    if name == "compare":
        from cpsdiff.diff.comparison import compare

        return compare
    if name == "parse_document":
        from cpsdiff.text.segment import parse_document

        return parse_document
    raise AttributeError(name)
