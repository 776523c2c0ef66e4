// libcsv, the strict RFC 4180 parser the user chose for results files.
#include <csv.h>
