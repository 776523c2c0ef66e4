// QVMetrics module: see ../shared/DESIGN.md §2.
