#include "qvkernels.h"
