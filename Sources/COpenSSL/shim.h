#ifndef MAILSCRUB_COPENSSL_SHIM_H
#define MAILSCRUB_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/* HMAC is built from the low-level SHA-256 functions: a keyed state copied per message
 * costs no allocation, where EVP_MAC allocates twice per HMAC on OpenSSL 3.0. They are
 * deprecated in OpenSSL 3 but still shipped; these wrappers keep the warning here, in
 * one place, instead of at every call. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int mailscrub_sha256_init(SHA256_CTX *c) { return SHA256_Init(c); }
static inline int mailscrub_sha256_update(SHA256_CTX *c, const void *data, size_t length) {
    return SHA256_Update(c, data, length);
}
static inline int mailscrub_sha256_final(unsigned char *digest, SHA256_CTX *c) { return SHA256_Final(digest, c); }
#pragma GCC diagnostic pop

#endif
