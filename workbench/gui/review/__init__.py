"""The post-editing view: unit table, editor pane, find/replace, scores, and its controller."""
