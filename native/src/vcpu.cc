// The vCPU object: KVM_RUN and register access. Every call must come from the
// thread that created the vCPU (checked), which is the one that runs it.
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "kvm_objects.h"

namespace armlab {

static pid_t ThreadId() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

static double NowNs() {
  timespec t;
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

Napi::Function Vcpu::Init(Napi::Env env) {
  return DefineClass(env, "Vcpu",
                     {InstanceMethod<&Vcpu::DoRun>("run"), InstanceMethod<&Vcpu::SetMmioData>("setMmioData"),
                      InstanceMethod<&Vcpu::SetIoData>("setIoData"), InstanceMethod<&Vcpu::GetRegs>("getRegs"),
                      InstanceMethod<&Vcpu::SetRegs>("setRegs"), InstanceMethod<&Vcpu::GetSregs>("getSregs"),
                      InstanceMethod<&Vcpu::SetSregs>("setSregs"), InstanceMethod<&Vcpu::ArmVcpuInit>("armVcpuInit"),
                      InstanceMethod<&Vcpu::GetOneReg>("getOneReg"), InstanceMethod<&Vcpu::SetOneReg>("setOneReg"),
                      InstanceMethod<&Vcpu::InjectExtDabt>("injectExtDabt"),
                      InstanceAccessor<&Vcpu::GetKickToken>("kickToken"), InstanceAccessor<&Vcpu::GetRunNs>("runNs"),
                      InstanceAccessor<&Vcpu::GetRuns>("runs"), InstanceMethod<&Vcpu::Close>("close")});
}

// new Vcpu(fd, mmapSize): owns fd; maps kvm_run.
Vcpu::Vcpu(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Vcpu>(info) {
  Napi::Env env = info.Env();
  fd_.Reset(static_cast<int>(ToU32(info[0], "fd")));
  size_t size = ToU32(info[1], "mmapSize");
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.Get(), 0);
  if (p == MAP_FAILED) ThrowSys(env, "mmap of kvm_run", errno);  // fd_ closes itself
  run_.Reset(p, size);
  tid_ = ThreadId();
  token_ = RegisterKickable(tid_, static_cast<kvm_run*>(p));
}

Vcpu::~Vcpu() { Unregister(); }

void Vcpu::Unregister() {
  if (token_ != 0) UnregisterKickable(token_);  // before the unmap: a kick may be touching kvm_run
  token_ = 0;
  run_.Reset();
  fd_.Reset();
}

void Vcpu::CheckThread(Napi::Env env) const {
  if (ThreadId() != tid_) Throw(env, "vCPU used from a thread other than the one that created it");
}

kvm_run* Vcpu::Run(Napi::Env env) {
  if (!fd_.Valid()) Throw(env, "Vcpu is closed");
  CheckThread(env);
  return static_cast<kvm_run*>(run_.Get());
}

// run() → exit object (exits.cc). An interrupted run (kick, or any signal)
// returns { reason: 'intr' } and consumes immediate_exit.
Napi::Value Vcpu::DoRun(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm_run* run = Run(env);
  double t0 = NowNs();
  int r = ::ioctl(fd_.Get(), KVM_RUN, 0);
  int err = errno;
  runNs_ += NowNs() - t0;
  runs_ += 1;
  if (r < 0) {
    if (err == EINTR || err == EAGAIN) {
      __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_SEQ_CST);
      Napi::Object o = Napi::Object::New(env);
      o.Set("reason", Napi::String::New(env, "intr"));
      o.Set("code", Napi::Number::New(env, KVM_EXIT_INTR));
      return o;
    }
    ThrowSys(env, "KVM_RUN", err);
  }
  return ExitToObject(env, run);
}

// setMmioData(lo, hi = 0): completes an MMIO read; the bytes go to kvm_run.mmio.data
// (little-endian) and the guest sees them when the next KVM_RUN resumes it.
Napi::Value Vcpu::SetMmioData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm_run* run = Run(env);
  uint32_t lo = static_cast<uint32_t>(info[0].As<Napi::Number>().Int64Value());
  uint32_t hi = info.Length() > 1 ? static_cast<uint32_t>(info[1].As<Napi::Number>().Int64Value()) : 0;
  uint64_t v = (static_cast<uint64_t>(hi) << 32) | lo;
  for (int i = 0; i < 8; i++) run->mmio.data[i] = static_cast<uint8_t>(v >> (8 * i));
  return env.Undefined();
}

// setIoData(value): completes a port-I/O IN (x86): the first element of the data buffer.
Napi::Value Vcpu::SetIoData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm_run* run = Run(env);
  if (run->exit_reason != KVM_EXIT_IO) Throw(env, "setIoData: the last exit was not port I/O");
  uint32_t v = static_cast<uint32_t>(info[0].As<Napi::Number>().Int64Value());
  auto* p = reinterpret_cast<uint8_t*>(run) + run->io.data_offset;
  for (unsigned i = 0; i < run->io.size && i < 4; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
  return env.Undefined();
}

// ONE_REG: getOneReg(id: bigint) → bigint, setOneReg(id, value). 64-bit registers only.
Napi::Value Vcpu::GetOneReg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  uint64_t value = 0;
  kvm_one_reg r{};
  r.id = ToU64(info[0], "id");
  if ((r.id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64) ThrowType(env, "getOneReg: only 64-bit register ids");
  r.addr = reinterpret_cast<uint64_t>(&value);
  if (IoctlRetry(fd_.Get(), KVM_GET_ONE_REG, &r) < 0) ThrowSys(env, "KVM_GET_ONE_REG", errno);
  return U64(env, value);
}

Napi::Value Vcpu::SetOneReg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  kvm_one_reg r{};
  r.id = ToU64(info[0], "id");
  if ((r.id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64) ThrowType(env, "setOneReg: only 64-bit register ids");
  uint64_t value = ToU64(info[1], "value");
  r.addr = reinterpret_cast<uint64_t>(&value);
  if (IoctlRetry(fd_.Get(), KVM_SET_ONE_REG, &r) < 0) ThrowSys(env, "KVM_SET_ONE_REG", errno);
  return env.Undefined();
}

// armVcpuInit(target, features: number[]): KVM_ARM_VCPU_INIT; features are bit
// numbers (KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_POWER_OFF, …).
Napi::Value Vcpu::ArmVcpuInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
#if defined(__aarch64__)
  kvm_vcpu_init init{};
  init.target = ToU32(info[0], "target");
  if (info.Length() > 1 && info[1].IsArray()) {
    Napi::Array f = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < f.Length(); i++) {
      uint32_t bit = ToU32(f.Get(i), "feature");
      if (bit >= 32 * 7) ThrowType(env, "armVcpuInit: feature bit out of range");
      init.features[bit / 32] |= 1u << (bit % 32);
    }
  }
  if (IoctlRetry(fd_.Get(), KVM_ARM_VCPU_INIT, &init) < 0) ThrowSys(env, "KVM_ARM_VCPU_INIT", errno);
  return env.Undefined();
#else
  (void)info;
  Throw(env, "KVM_ARM_VCPU_INIT exists only on arm64 hosts");
#endif
}

// injectExtDabt(): after an MMIO exit nobody can serve, make the access a synchronous external
// abort in the guest (KVM_SET_VCPU_EVENTS, exception.ext_dabt_pending; KVM_CAP_ARM_INJECT_EXT_DABT).
Napi::Value Vcpu::InjectExtDabt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
#if defined(__aarch64__)
  auto* run = static_cast<kvm_run*>(run_.Get());
  if (run->exit_reason != KVM_EXIT_MMIO && run->exit_reason != KVM_EXIT_ARM_NISV)
    Throw(env, "injectExtDabt: the last exit was not an MMIO access");
  kvm_vcpu_events ev{};
  ev.exception.ext_dabt_pending = 1;
  if (IoctlRetry(fd_.Get(), KVM_SET_VCPU_EVENTS, &ev) < 0) ThrowSys(env, "KVM_SET_VCPU_EVENTS", errno);
  return env.Undefined();
#else
  (void)info;
  Throw(env, "external data abort injection exists only on arm64 hosts");
#endif
}

Napi::Value Vcpu::GetKickToken(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), token_); }
Napi::Value Vcpu::GetRunNs(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), runNs_); }
Napi::Value Vcpu::GetRuns(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), runs_); }

Napi::Value Vcpu::Close(const Napi::CallbackInfo& info) {
  Unregister();
  return info.Env().Undefined();
}

}  // namespace armlab
