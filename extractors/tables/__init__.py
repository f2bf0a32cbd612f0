"""Stage 3: data tables of a Document as TableRecords: grid view, header rows and flattened
columns, body rows and their labels, the total row, parent rows and their children, OCR row numbers.
`build.extract_tables` is the entry point."""
