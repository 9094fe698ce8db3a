"""One renderer per format, used by every face: text tables, CSV, JSON (and, beside them,
``excel`` for workbooks and ``charts`` for PNG and SVG). A figure, a rate, a draft label or a
what-if's state is written the same way whichever face shows it."""
