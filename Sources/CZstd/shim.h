#ifndef MAILSCRUB_CZSTD_SHIM_H
#define MAILSCRUB_CZSTD_SHIM_H

#include <zstd.h>

#endif
