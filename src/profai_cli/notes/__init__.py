"""Notes in: reading, decoding, converting documents, the outline."""
