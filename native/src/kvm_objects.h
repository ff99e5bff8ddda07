// The addon's JavaScript classes. Each mirrors one kind of KVM file descriptor:
//   Kvm     /dev/kvm         system ioctls (API version, capabilities, KVM_CREATE_VM)
//   Vm      the VM fd        memory slots, vCPU creation, IRQ lines, devices (vGIC)
//   Vcpu    a vCPU fd        KVM_RUN and register access, from the thread that runs it
//   Device  a device fd      KVM_SET/GET/HAS_DEVICE_ATTR
// No device logic lives here: exits are returned to JavaScript as tagged objects.
#pragma once

#include <linux/kvm.h>

#include <atomic>
#include <cstdint>
#include <map>

#include "common.h"

namespace armlab {

class Kvm : public Napi::ObjectWrap<Kvm> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Kvm(const Napi::CallbackInfo& info);

 private:
  int Fd(Napi::Env env) const;
  Napi::Value GetFd(const Napi::CallbackInfo& info);
  Napi::Value ApiVersion(const Napi::CallbackInfo& info);
  Napi::Value CheckExtension(const Napi::CallbackInfo& info);
  Napi::Value VcpuMmapSize(const Napi::CallbackInfo& info);
  Napi::Value CreateVm(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  armlab::Fd fd_;
};

class Vm : public Napi::ObjectWrap<Vm> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Vm(const Napi::CallbackInfo& info);  // new Vm(fd, mmapSize): takes ownership of fd
  ~Vm() override;

 private:
  int Fd(Napi::Env env) const;
  Napi::Value GetFd(const Napi::CallbackInfo& info);
  Napi::Value GetMmapSize(const Napi::CallbackInfo& info);
  Napi::Value CheckExtension(const Napi::CallbackInfo& info);
  Napi::Value SetUserMemoryRegion(const Napi::CallbackInfo& info);
  Napi::Value CreateVcpu(const Napi::CallbackInfo& info);
  Napi::Value IrqLine(const Napi::CallbackInfo& info);
  Napi::Value SetTssAddr(const Napi::CallbackInfo& info);
  Napi::Value ArmPreferredTarget(const Napi::CallbackInfo& info);
  Napi::Value CreateDevice(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  void ReleaseMemory();
  armlab::Fd fd_;
  uint32_t mmapSize_ = 0;
  // Typed arrays mapped into the guest, by slot: referenced so the memory
  // outlives the mapping (released when the slot is deleted or the VM closed).
  std::map<uint32_t, Napi::Reference<Napi::Value>> memory_;
};

class Device : public Napi::ObjectWrap<Device> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Device(const Napi::CallbackInfo& info);  // new Device(fd): takes ownership

 private:
  Napi::Value Attr(const Napi::CallbackInfo& info, unsigned long req, const char* name);
  Napi::Value SetAttr(const Napi::CallbackInfo& info);
  Napi::Value GetAttr(const Napi::CallbackInfo& info);
  Napi::Value HasAttr(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  armlab::Fd fd_;
};

class Vcpu : public Napi::ObjectWrap<Vcpu> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Vcpu(const Napi::CallbackInfo& info);  // new Vcpu(fd, mmapSize): takes ownership
  ~Vcpu() override;

 private:
  kvm_run* Run(Napi::Env env);
  void CheckThread(Napi::Env env) const;
  Napi::Value DoRun(const Napi::CallbackInfo& info);
  Napi::Value SetMmioData(const Napi::CallbackInfo& info);
  Napi::Value SetIoData(const Napi::CallbackInfo& info);
  Napi::Value GetRegs(const Napi::CallbackInfo& info);
  Napi::Value SetRegs(const Napi::CallbackInfo& info);
  Napi::Value GetSregs(const Napi::CallbackInfo& info);
  Napi::Value SetSregs(const Napi::CallbackInfo& info);
  Napi::Value ArmVcpuInit(const Napi::CallbackInfo& info);
  Napi::Value GetOneReg(const Napi::CallbackInfo& info);
  Napi::Value SetOneReg(const Napi::CallbackInfo& info);
  Napi::Value InjectExtDabt(const Napi::CallbackInfo& info);
  Napi::Value GetKickToken(const Napi::CallbackInfo& info);
  Napi::Value GetRunNs(const Napi::CallbackInfo& info);
  Napi::Value GetRuns(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  void Unregister();
  armlab::Fd fd_;
  Mapping run_;
  pid_t tid_ = 0;         // the thread that created the vCPU: the only one allowed to use it
  uint32_t token_ = 0;    // key in the kick registry (never reused)
  double runNs_ = 0;      // time spent inside KVM_RUN, nanoseconds
  double runs_ = 0;       // KVM_RUN calls
};

// Kick registry: lets any thread interrupt a vCPU that another thread runs.
uint32_t RegisterKickable(pid_t tid, kvm_run* run);
void UnregisterKickable(uint32_t token);
bool Kick(uint32_t token);
void InstallKickSignal();

// Exit objects (exits.cc).
Napi::Value ExitToObject(Napi::Env env, const kvm_run* run);

}  // namespace armlab
