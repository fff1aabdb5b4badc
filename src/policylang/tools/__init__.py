"""What policy officers and data teams use around the rules: examples and their coverage, the
programs and diagnostics catalogues, and synthetic populations."""
