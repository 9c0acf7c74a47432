"""LLM backends: each turns a lecture request into lecture text."""
