"""Stage 1 over a Document: where the front and closing matter stand (regions), which paragraphs
are headings (headings), the section tree (segment → outline), and which paragraphs are prose."""
