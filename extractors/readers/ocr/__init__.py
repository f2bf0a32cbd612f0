"""Scanned-PDF reader (Tesseract): render pages, find ruled tables from their lines, recognise
words with boxes, rebuild lines, paragraphs and tables, repair safe OCR confusions; results cached."""
