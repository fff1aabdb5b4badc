"""What every stage uses: sources and spans, diagnostics and their one renderer, safe file
reading, types and units, exact arithmetic and rounding, dates, values, and every limit. It
imports nothing else of policylang."""
