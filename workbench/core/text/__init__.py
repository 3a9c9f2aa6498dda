"""Text in: decoding bytes, parsing articles, splitting sentences."""
