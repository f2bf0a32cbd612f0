"""Word readers: .docx from the package XML (docx), list numbering (numbering), .doc through
LibreOffice (doc) after a check of the Word 97 container (word97)."""
