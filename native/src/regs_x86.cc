// x86 register access (KVM_GET/SET_REGS, KVM_GET/SET_SREGS) for the host-ISA
// self-test guests. Values are BigInts; set* merges the fields given into the
// current state (get, overwrite, set), so a caller names only what it changes.
#include <sys/ioctl.h>

#include "kvm_objects.h"

namespace armlab {

#if defined(__x86_64__)

#define REGS(X) \
  X(rax) X(rbx) X(rcx) X(rdx) X(rsi) X(rdi) X(rsp) X(rbp) X(r8) X(r9) X(r10) X(r11) X(r12) X(r13) X(r14) X(r15) X(rip) X(rflags)
#define SEGS(X) X(cs) X(ds) X(es) X(fs) X(gs) X(ss) X(tr) X(ldt)

static Napi::Object SegToObject(Napi::Env env, const kvm_segment& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("base", U64(env, s.base));
  o.Set("limit", Napi::Number::New(env, s.limit));
  o.Set("selector", Napi::Number::New(env, s.selector));
  o.Set("type", Napi::Number::New(env, s.type));
#define F(f) o.Set(#f, Napi::Number::New(env, s.f));
  F(present) F(dpl) F(db) F(s) F(l) F(g) F(avl) F(unusable)
#undef F
  return o;
}

static void MergeSeg(const Napi::Value& v, kvm_segment& s) {
  if (!v.IsObject()) return;
  Napi::Object o = v.As<Napi::Object>();
  if (o.Has("base")) s.base = ToU64(o.Get("base"), "base");
  if (o.Has("limit")) s.limit = ToU32(o.Get("limit"), "limit");
  if (o.Has("selector")) s.selector = static_cast<__u16>(ToU32(o.Get("selector"), "selector"));
  if (o.Has("type")) s.type = static_cast<__u8>(ToU32(o.Get("type"), "type"));
#define F(f) \
  if (o.Has(#f)) s.f = static_cast<__u8>(ToU32(o.Get(#f), #f));
  F(present) F(dpl) F(db) F(s) F(l) F(g) F(avl) F(unusable)
#undef F
}

Napi::Value Vcpu::GetRegs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  kvm_regs r{};
  if (IoctlRetry(fd_.Get(), KVM_GET_REGS, &r) < 0) ThrowSys(env, "KVM_GET_REGS", errno);
  Napi::Object o = Napi::Object::New(env);
#define R(n) o.Set(#n, U64(env, r.n));
  REGS(R)
#undef R
  return o;
}

Napi::Value Vcpu::SetRegs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  if (!info[0].IsObject()) ThrowType(env, "setRegs: expected an object");
  Napi::Object o = info[0].As<Napi::Object>();
  kvm_regs r{};
  if (IoctlRetry(fd_.Get(), KVM_GET_REGS, &r) < 0) ThrowSys(env, "KVM_GET_REGS", errno);
#define R(n) \
  if (o.Has(#n)) r.n = ToU64(o.Get(#n), #n);
  REGS(R)
#undef R
  if (IoctlRetry(fd_.Get(), KVM_SET_REGS, &r) < 0) ThrowSys(env, "KVM_SET_REGS", errno);
  return env.Undefined();
}

Napi::Value Vcpu::GetSregs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  kvm_sregs s{};
  if (IoctlRetry(fd_.Get(), KVM_GET_SREGS, &s) < 0) ThrowSys(env, "KVM_GET_SREGS", errno);
  Napi::Object o = Napi::Object::New(env);
#define S(n) o.Set(#n, SegToObject(env, s.n));
  SEGS(S)
#undef S
  for (auto [name, v] : {std::pair{"cr0", s.cr0}, {"cr2", s.cr2}, {"cr3", s.cr3}, {"cr4", s.cr4}, {"cr8", s.cr8},
                         {"efer", s.efer}, {"apicBase", s.apic_base}}) {
    o.Set(name, U64(env, v));
  }
  return o;
}

Napi::Value Vcpu::SetSregs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Run(env);
  if (!info[0].IsObject()) ThrowType(env, "setSregs: expected an object");
  Napi::Object o = info[0].As<Napi::Object>();
  kvm_sregs s{};
  if (IoctlRetry(fd_.Get(), KVM_GET_SREGS, &s) < 0) ThrowSys(env, "KVM_GET_SREGS", errno);
#define S(n) \
  if (o.Has(#n)) MergeSeg(o.Get(#n), s.n);
  SEGS(S)
#undef S
  for (auto [name, p] : {std::pair{"cr0", &s.cr0}, {"cr2", &s.cr2}, {"cr3", &s.cr3}, {"cr4", &s.cr4}, {"cr8", &s.cr8},
                         {"efer", &s.efer}, {"apicBase", &s.apic_base}}) {
    if (o.Has(name)) *p = ToU64(o.Get(name), name);
  }
  if (IoctlRetry(fd_.Get(), KVM_SET_SREGS, &s) < 0) ThrowSys(env, "KVM_SET_SREGS", errno);
  return env.Undefined();
}

#else  // not x86: the methods exist so the JavaScript surface is the same everywhere

static Napi::Value X86Only(const Napi::CallbackInfo& info, const char* what) {
  Throw(info.Env(), std::string(what) + " exists only on x86 hosts");
}
Napi::Value Vcpu::GetRegs(const Napi::CallbackInfo& info) { return X86Only(info, "KVM_GET_REGS"); }
Napi::Value Vcpu::SetRegs(const Napi::CallbackInfo& info) { return X86Only(info, "KVM_SET_REGS"); }
Napi::Value Vcpu::GetSregs(const Napi::CallbackInfo& info) { return X86Only(info, "KVM_GET_SREGS"); }
Napi::Value Vcpu::SetSregs(const Napi::CallbackInfo& info) { return X86Only(info, "KVM_SET_SREGS"); }

#endif

}  // namespace armlab
