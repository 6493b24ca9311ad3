"""Dead letters: records the engine could not process, set aside with their error for operators."""
