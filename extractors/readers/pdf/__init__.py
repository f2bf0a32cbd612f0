"""Text-PDF reader (pdfplumber): characters → lines → paragraphs, running furniture dropped,
ruled tables found and laid on grids, borderless layout blocks, legacy 8-bit fonts decoded."""
