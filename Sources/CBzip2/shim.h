#ifndef MAILSCRUB_CBZIP2_SHIM_H
#define MAILSCRUB_CBZIP2_SHIM_H

#include <bzlib.h>

#endif
