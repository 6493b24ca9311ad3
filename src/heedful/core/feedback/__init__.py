"""Measuring the experience: surveys and their maths, free text read, the CX index, the loop."""
