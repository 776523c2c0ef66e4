// QVData module: see ../shared/DESIGN.md §2.
