"""The read side: one module per question a page asks, one filter implementation, shared statistics."""
