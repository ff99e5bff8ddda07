// Shared helpers of the KVM addon: RAII owners for fds and mappings, and the
// one way an ioctl failure becomes a JavaScript error.
#pragma once

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace armlab {

// Owns a file descriptor; closes it once.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(o.Release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) Reset(o.Release());
    return *this;
  }
  ~Fd() { Reset(); }
  int Get() const { return fd_; }
  bool Valid() const { return fd_ >= 0; }
  int Release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// Owns an mmap()ed range; unmaps it once.
class Mapping {
 public:
  Mapping() = default;
  Mapping(void* p, size_t n) : p_(p), n_(n) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { Reset(); }
  void* Get() const { return p_; }
  void Reset(void* p = nullptr, size_t n = 0) {
    if (p_ != nullptr && p_ != MAP_FAILED) ::munmap(p_, n_);
    p_ = p;
    n_ = n;
  }

 private:
  void* p_ = nullptr;
  size_t n_ = 0;
};

// "KVM_CREATE_VCPU failed: EEXIST (17)", with .code, .errno and .syscall set
// like Node's own system errors.
Napi::Error SysError(Napi::Env env, const char* what, int err);
[[noreturn]] void ThrowSys(Napi::Env env, const char* what, int err);
[[noreturn]] void ThrowType(Napi::Env env, const std::string& msg);
[[noreturn]] void Throw(Napi::Env env, const std::string& msg);

// ioctl that retries on EINTR (never used for KVM_RUN, where EINTR is an exit).
int IoctlRetry(int fd, unsigned long req, void* arg);
inline int IoctlRetry(int fd, unsigned long req, unsigned long arg) {
  return IoctlRetry(fd, req, reinterpret_cast<void*>(arg));
}

// Argument conversion: a non-negative integer given as number or BigInt.
uint64_t ToU64(const Napi::Value& v, const char* name);
uint32_t ToU32(const Napi::Value& v, const char* name);
Napi::Value U64(Napi::Env env, uint64_t v);  // always a BigInt

// Data pointer and length in bytes of a typed array (also one over a
// SharedArrayBuffer: N-API gives its data pointer, not the SAB's).
void TypedArrayBytes(const Napi::Value& v, void** data, size_t* bytes);

// Host page size (sysconf), cached.
size_t PageSize();

// Builds the per-environment class constructors (one set per Node environment:
// the main thread and each worker load the addon separately).
struct AddonData {
  Napi::FunctionReference kvm;
  Napi::FunctionReference vm;
  Napi::FunctionReference vcpu;
  Napi::FunctionReference device;
};

}  // namespace armlab
