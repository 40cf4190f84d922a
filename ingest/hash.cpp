#include "ingest/hash.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>

#include "geo/error.hpp"

namespace frontline::ingest {

namespace {

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string to_hex(const unsigned char* digest, unsigned int size) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace

std::string sha256_hex(const std::vector<unsigned char>& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw RunError("SHA-256 failed (OpenSSL)");
    }
    return to_hex(digest, size);
}

std::string sha256_file(const std::string& path) {
    // Plain stdio, not GDAL's VSI: hashing a source must not load GDAL (gdal_env.hpp, load_gdal).
    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        throw InputError(path + ": cannot open the file for reading; check the path and permissions");
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw RunError("SHA-256 failed (OpenSSL)");
    }
    std::vector<unsigned char> buf(1 << 16);
    for (;;) {
        std::size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
        if (n > 0) {
            EVP_DigestUpdate(ctx.get(), buf.data(), n);
        }
        if (n < buf.size()) {
            break;
        }
    }
    if (std::ferror(file.get()) != 0) {
        throw InputError(path + ": cannot read the file; check the path and permissions");
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    return to_hex(digest, size);
}

}  // namespace frontline::ingest
