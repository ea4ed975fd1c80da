#ifndef MAILSCRUB_CLZMA_SHIM_H
#define MAILSCRUB_CLZMA_SHIM_H

#include <lzma.h>

#endif
