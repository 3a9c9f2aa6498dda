"""Documents in their original formats (web pages, Word, OpenDocument, XLIFF, PO).

A format reads the original file into translatable blocks (``model.Block``)
and writes the original back with translated blocks put in place, so that
the translator delivers a document in the format received.
"""
