"""Background work of the window: workers get ids and paths, never widgets; one cancellation contract."""
