"""What both engines mean by the same words: when a clause is in force, how conditions
and triggers join under unknown facts, which exception wins, and why a decision came
out as it did. The interpreter applies these to one household's values, the batch
engine to columns; neither defines them again.
"""
