#include "common.h"

#include <cstring>
#include <sys/ioctl.h>

namespace armlab {

static const char* ErrnoName(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* n = strerrorname_np(err);
  if (n != nullptr) return n;
#endif
  return "E?";
}

Napi::Error SysError(Napi::Env env, const char* what, int err) {
  const char* name = ErrnoName(err);
  std::string msg = std::string(what) + " failed: " + name + " (" + std::to_string(err) + ")";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, name));
  e.Set("errno", Napi::Number::New(env, err));
  e.Set("syscall", Napi::String::New(env, what));
  return e;
}

void ThrowSys(Napi::Env env, const char* what, int err) { throw SysError(env, what, err); }
void ThrowType(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }
void Throw(Napi::Env env, const std::string& msg) { throw Napi::Error::New(env, msg); }

int IoctlRetry(int fd, unsigned long req, void* arg) {
  int r;
  do {
    r = ::ioctl(fd, req, arg);
  } while (r < 0 && errno == EINTR);
  return r;
}

uint64_t ToU64(const Napi::Value& v, const char* name) {
  Napi::Env env = v.Env();
  if (v.IsBigInt()) {
    bool lossless = false;
    uint64_t x = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) ThrowType(env, std::string(name) + ": BigInt out of the 64-bit unsigned range");
    return x;
  }
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<uint64_t>(d))) {
      ThrowType(env, std::string(name) + ": expected a non-negative integer");
    }
    return static_cast<uint64_t>(d);
  }
  ThrowType(env, std::string(name) + ": expected a number or BigInt");
}

uint32_t ToU32(const Napi::Value& v, const char* name) {
  uint64_t x = ToU64(v, name);
  if (x > 0xffffffffu) ThrowType(v.Env(), std::string(name) + ": out of the 32-bit range");
  return static_cast<uint32_t>(x);
}

Napi::Value U64(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }

void TypedArrayBytes(const Napi::Value& v, void** data, size_t* bytes) {
  napi_typedarray_type type;
  size_t length = 0;
  napi_value ab;
  size_t off = 0;
  if (napi_get_typedarray_info(v.Env(), v, &type, &length, data, &ab, &off) != napi_ok) {
    Throw(v.Env(), "cannot read the typed array");
  }
  size_t elem = 1;
  switch (type) {
    case napi_int16_array:
    case napi_uint16_array:
      elem = 2;
      break;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      elem = 4;
      break;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array:
      elem = 8;
      break;
    default:
      break;
  }
  *bytes = length * elem;
}

size_t PageSize() {
  static const size_t n = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return n;
}

}  // namespace armlab
