"""Plain-text helpers any layer may use: sentences, cleaning, and which sentences are central. They take and
return strings and arrays, and import nothing of the app."""
