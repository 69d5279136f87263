#!/usr/bin/env python3
"""Expected answers for the end-to-end tests, computed from the files'
own text with a regular expression (independent of protodex's analysis):
prints the sorted base names (no extension) of the files in DIR whose text
matches PATTERN (case-insensitive, Unicode), space-separated."""
import os
import re
import sys


def main():
    directory, pattern = sys.argv[1], sys.argv[2]
    rx = re.compile(pattern, re.IGNORECASE | re.UNICODE)
    names = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read().replace("ё", "е").replace("Ё", "Е")
        if rx.search(text):
            names.append(os.path.splitext(name)[0])
    print(" ".join(names) + (" " if names else ""), end="")


if __name__ == "__main__":
    main()
