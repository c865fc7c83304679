/* The low-level SHA256_CTX API is deprecated in OpenSSL 3 in favour of EVP,
   but it is still supported, uses the same SHA-NI/AVX code, and needs no heap
   allocation per digest (EVP_MD_CTX_new does). Suppress only the attribute. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
