// Declarations only (include/CLibFuzzer.h): the functions are libFuzzer's.
#include "CLibFuzzer.h"
