#ifndef MAILSCRUB_CZLIB_SHIM_H
#define MAILSCRUB_CZLIB_SHIM_H

#include <zlib.h>

#endif
