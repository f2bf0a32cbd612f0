"""Stage 2: the front and closing matter read into Metadata: header block (issuer, number, place
and date), document type and title, reporting period, signature block."""
