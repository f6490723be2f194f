"""Reading inputs into Articles: files, folders, JSONL, HTML and feeds (``readers``), the
wire furniture found in their text (``wire``) and the date expressions resolved against
the article date (``dates``). Nothing here parses language; it runs before spaCy does."""
