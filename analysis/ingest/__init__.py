"""Getting articles in: file formats, dates, text cleaning, row validation, importers, outlet metadata."""
