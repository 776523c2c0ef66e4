// LAPACKE (Debian's liblapacke-dev); its LAPACK routines resolve to OpenBLAS.
#include <lapacke.h>
