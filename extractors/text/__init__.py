"""Text tools every later stage uses: Vietnamese text helpers, numbers, units, dates, sentences,
quantities in a sentence, and the optional NLP (underthesea). Pure functions over strings; nothing
here knows about documents."""
