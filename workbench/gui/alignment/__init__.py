"""The alignment view of a document pair: link table, its controller, pair import."""
