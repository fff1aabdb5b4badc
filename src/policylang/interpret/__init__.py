"""The reference interpreter: one household, one date, every program, traced — the engine
the batch engine is held to. `evaluate.Evaluation.run` is the entry."""
