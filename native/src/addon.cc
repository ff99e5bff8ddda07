// Module entry and the system / VM / device objects of the KVM addon.
#include <fcntl.h>
#include <sys/ioctl.h>

#include "kvm_objects.h"

namespace armlab {

static AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Guards against use after close(): every method names the object and the call.
static int OpenFd(Napi::Env env, const armlab::Fd& fd, const char* what) {
  if (!fd.Valid()) Throw(env, std::string(what) + " is closed");
  return fd.Get();
}

static Napi::Value ToNewObject(Napi::Env env, Napi::FunctionReference& ctor, int fd, uint32_t mmapSize) {
  // The constructor owns fd from here; if it throws, it has closed it.
  return ctor.New({Napi::Number::New(env, fd), Napi::Number::New(env, mmapSize)});
}

// ------------------------------------------------------------------ Kvm

Napi::Function Kvm::Init(Napi::Env env) {
  return DefineClass(env, "Kvm",
                     {InstanceAccessor<&Kvm::GetFd>("fd"), InstanceMethod<&Kvm::ApiVersion>("apiVersion"),
                      InstanceMethod<&Kvm::CheckExtension>("checkExtension"),
                      InstanceMethod<&Kvm::VcpuMmapSize>("vcpuMmapSize"), InstanceMethod<&Kvm::CreateVm>("createVm"),
                      InstanceMethod<&Kvm::Close>("close")});
}

// new Kvm(path = "/dev/kvm")
Kvm::Kvm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Kvm>(info) {
  Napi::Env env = info.Env();
  std::string path = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "/dev/kvm";
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) ThrowSys(env, ("open " + path).c_str(), errno);
  fd_.Reset(fd);
}

int Kvm::Fd(Napi::Env env) const { return OpenFd(env, fd_, "Kvm"); }
Napi::Value Kvm::GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_.Get()); }

Napi::Value Kvm::ApiVersion(const Napi::CallbackInfo& info) {
  int r = IoctlRetry(Fd(info.Env()), KVM_GET_API_VERSION, 0ul);
  if (r < 0) ThrowSys(info.Env(), "KVM_GET_API_VERSION", errno);
  return Napi::Number::New(info.Env(), r);
}

Napi::Value Kvm::CheckExtension(const Napi::CallbackInfo& info) {
  int r = IoctlRetry(Fd(info.Env()), KVM_CHECK_EXTENSION, static_cast<unsigned long>(ToU32(info[0], "cap")));
  if (r < 0) ThrowSys(info.Env(), "KVM_CHECK_EXTENSION", errno);
  return Napi::Number::New(info.Env(), r);
}

Napi::Value Kvm::VcpuMmapSize(const Napi::CallbackInfo& info) {
  int r = IoctlRetry(Fd(info.Env()), KVM_GET_VCPU_MMAP_SIZE, 0ul);
  if (r < 0) ThrowSys(info.Env(), "KVM_GET_VCPU_MMAP_SIZE", errno);
  return Napi::Number::New(info.Env(), r);
}

// createVm(type = 0): on arm64 the type carries the IPA size (KVM_VM_TYPE_ARM_IPA_SIZE).
Napi::Value Kvm::CreateVm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int kfd = Fd(env);
  unsigned long type = info.Length() > 0 && !info[0].IsUndefined() ? ToU32(info[0], "type") : 0;
  int mmapSize = IoctlRetry(kfd, KVM_GET_VCPU_MMAP_SIZE, 0ul);
  if (mmapSize < 0) ThrowSys(env, "KVM_GET_VCPU_MMAP_SIZE", errno);
  int vfd = IoctlRetry(kfd, KVM_CREATE_VM, type);
  if (vfd < 0) ThrowSys(env, "KVM_CREATE_VM", errno);
  ::fcntl(vfd, F_SETFD, FD_CLOEXEC);
  return ToNewObject(env, Data(env).vm, vfd, static_cast<uint32_t>(mmapSize));
}

Napi::Value Kvm::Close(const Napi::CallbackInfo& info) {
  fd_.Reset();
  return info.Env().Undefined();
}

// ------------------------------------------------------------------ Vm

Napi::Function Vm::Init(Napi::Env env) {
  return DefineClass(env, "Vm",
                     {InstanceAccessor<&Vm::GetFd>("fd"), InstanceAccessor<&Vm::GetMmapSize>("mmapSize"),
                      InstanceMethod<&Vm::CheckExtension>("checkExtension"),
                      InstanceMethod<&Vm::SetUserMemoryRegion>("setUserMemoryRegion"),
                      InstanceMethod<&Vm::CreateVcpu>("createVcpu"), InstanceMethod<&Vm::IrqLine>("irqLine"),
                      InstanceMethod<&Vm::SetTssAddr>("setTssAddr"),
                      InstanceMethod<&Vm::ArmPreferredTarget>("armPreferredTarget"),
                      InstanceMethod<&Vm::CreateDevice>("createDevice"), InstanceMethod<&Vm::Close>("close")});
}

// new Vm(fd, mmapSize): owns fd. Also how a worker adopts a VM: the module's
// openVm(fd, mmapSize) dups the main thread's fd and constructs one of these.
Vm::Vm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Vm>(info) {
  fd_.Reset(static_cast<int>(ToU32(info[0], "fd")));
  mmapSize_ = ToU32(info[1], "mmapSize");
}

Vm::~Vm() { ReleaseMemory(); }

void Vm::ReleaseMemory() {
  for (auto& m : memory_) m.second.Reset();
  memory_.clear();
}

int Vm::Fd(Napi::Env env) const { return OpenFd(env, fd_, "Vm"); }
Napi::Value Vm::GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_.Get()); }
Napi::Value Vm::GetMmapSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), mmapSize_); }

Napi::Value Vm::CheckExtension(const Napi::CallbackInfo& info) {
  int r = IoctlRetry(Fd(info.Env()), KVM_CHECK_EXTENSION, static_cast<unsigned long>(ToU32(info[0], "cap")));
  if (r < 0) ThrowSys(info.Env(), "KVM_CHECK_EXTENSION", errno);
  return Napi::Number::New(info.Env(), r);
}

// setUserMemoryRegion(slot, guestPhysAddr, memory: TypedArray | null, flags = 0)
// memory null deletes the slot. The typed array's bytes are the guest's RAM;
// KVM wants them page-aligned (the caller arranges it; the kernel checks).
Napi::Value Vm::SetUserMemoryRegion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = Fd(env);
  kvm_userspace_memory_region r{};
  r.slot = ToU32(info[0], "slot");
  r.guest_phys_addr = ToU64(info[1], "guestPhysAddr");
  r.flags = info.Length() > 3 && !info[3].IsUndefined() ? ToU32(info[3], "flags") : 0;
  bool remove = info[2].IsNull() || info[2].IsUndefined();
  if (!remove) {
    if (!info[2].IsTypedArray()) ThrowType(env, "memory: expected a TypedArray (over a SharedArrayBuffer) or null");
    void* data = nullptr;
    size_t bytes = 0;
    TypedArrayBytes(info[2], &data, &bytes);
    r.userspace_addr = reinterpret_cast<uint64_t>(data);
    r.memory_size = bytes;
  }
  if (IoctlRetry(fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) ThrowSys(env, "KVM_SET_USER_MEMORY_REGION", errno);
  auto it = memory_.find(r.slot);
  if (it != memory_.end()) {
    it->second.Reset();
    memory_.erase(it);
  }
  if (!remove) memory_.emplace(r.slot, Napi::Persistent(info[2]));
  return env.Undefined();
}

// createVcpu(id): KVM_CREATE_VCPU, then the kvm_run mapping. Call it from the
// thread that will run the vCPU (a worker adopts the VM with openVm first).
Napi::Value Vm::CreateVcpu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = Fd(env);
  int cfd = IoctlRetry(fd, KVM_CREATE_VCPU, static_cast<unsigned long>(ToU32(info[0], "id")));
  if (cfd < 0) ThrowSys(env, "KVM_CREATE_VCPU", errno);
  ::fcntl(cfd, F_SETFD, FD_CLOEXEC);
  return ToNewObject(env, Data(env).vcpu, cfd, mmapSize_);
}

// irqLine(irq, level): KVM_IRQ_LINE. On arm64 irq encodes type [27:24], vcpu [23:16], INTID [15:0].
Napi::Value Vm::IrqLine(const Napi::CallbackInfo& info) {
  kvm_irq_level l{};
  l.irq = ToU32(info[0], "irq");
  l.level = info[1].ToBoolean() ? 1 : 0;
  if (IoctlRetry(Fd(info.Env()), KVM_IRQ_LINE, &l) < 0) ThrowSys(info.Env(), "KVM_IRQ_LINE", errno);
  return info.Env().Undefined();
}

Napi::Value Vm::SetTssAddr(const Napi::CallbackInfo& info) {
#if defined(__x86_64__)
  if (IoctlRetry(Fd(info.Env()), KVM_SET_TSS_ADDR, static_cast<unsigned long>(ToU32(info[0], "addr"))) < 0) {
    ThrowSys(info.Env(), "KVM_SET_TSS_ADDR", errno);
  }
  return info.Env().Undefined();
#else
  Throw(info.Env(), "KVM_SET_TSS_ADDR exists only on x86 hosts");
#endif
}

// armPreferredTarget() → { target, features: number[] } (arm64 hosts).
Napi::Value Vm::ArmPreferredTarget(const Napi::CallbackInfo& info) {
#if defined(__aarch64__)
  Napi::Env env = info.Env();
  kvm_vcpu_init init{};
  if (IoctlRetry(Fd(env), KVM_ARM_PREFERRED_TARGET, &init) < 0) ThrowSys(env, "KVM_ARM_PREFERRED_TARGET", errno);
  Napi::Object o = Napi::Object::New(env);
  o.Set("target", Napi::Number::New(env, init.target));
  Napi::Array f = Napi::Array::New(env, 7);
  for (uint32_t i = 0; i < 7; i++) f.Set(i, Napi::Number::New(env, init.features[i]));
  o.Set("features", f);
  return o;
#else
  Throw(info.Env(), "KVM_ARM_PREFERRED_TARGET exists only on arm64 hosts");
#endif
}

// createDevice(type, test = false): KVM_CREATE_DEVICE → Device (or, with test, true when the type exists).
Napi::Value Vm::CreateDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  kvm_create_device d{};
  d.type = ToU32(info[0], "type");
  bool test = info.Length() > 1 && info[1].ToBoolean();
  d.flags = test ? KVM_CREATE_DEVICE_TEST : 0;
  if (IoctlRetry(Fd(env), KVM_CREATE_DEVICE, &d) < 0) {
    if (test) return Napi::Boolean::New(env, false);
    ThrowSys(env, "KVM_CREATE_DEVICE", errno);
  }
  if (test) return Napi::Boolean::New(env, true);
  ::fcntl(static_cast<int>(d.fd), F_SETFD, FD_CLOEXEC);
  return Data(env).device.New({Napi::Number::New(env, d.fd)});
}

Napi::Value Vm::Close(const Napi::CallbackInfo& info) {
  fd_.Reset();  // KVM drops the memory slots with the VM (once every vCPU fd is closed too)
  ReleaseMemory();
  return info.Env().Undefined();
}

// ------------------------------------------------------------------ Device

Napi::Function Device::Init(Napi::Env env) {
  return DefineClass(env, "Device",
                     {InstanceMethod<&Device::SetAttr>("setAttr"), InstanceMethod<&Device::GetAttr>("getAttr"),
                      InstanceMethod<&Device::HasAttr>("hasAttr"), InstanceMethod<&Device::Close>("close")});
}

Device::Device(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Device>(info) {
  fd_.Reset(static_cast<int>(ToU32(info[0], "fd")));
}

// setAttr(group, attr, value?: bigint | number) — value is passed through a u64
// (vGIC addresses, NR_IRQS); without it, addr = 0 (e.g. CTRL_INIT).
// getAttr(group, attr) → bigint. hasAttr(group, attr) → boolean.
Napi::Value Device::Attr(const Napi::CallbackInfo& info, unsigned long req, const char* name) {
  Napi::Env env = info.Env();
  int fd = OpenFd(env, fd_, "Device");
  uint64_t value = 0;
  kvm_device_attr a{};
  a.group = ToU32(info[0], "group");
  a.attr = ToU64(info[1], "attr");
  bool withValue = req == KVM_GET_DEVICE_ATTR || (req == KVM_SET_DEVICE_ATTR && info.Length() > 2 && !info[2].IsUndefined());
  if (withValue) {
    if (req == KVM_SET_DEVICE_ATTR) value = ToU64(info[2], "value");
    a.addr = reinterpret_cast<uint64_t>(&value);
  }
  if (IoctlRetry(fd, req, &a) < 0) {
    if (req == KVM_HAS_DEVICE_ATTR) return Napi::Boolean::New(env, false);
    ThrowSys(env, name, errno);
  }
  if (req == KVM_HAS_DEVICE_ATTR) return Napi::Boolean::New(env, true);
  if (req == KVM_GET_DEVICE_ATTR) return U64(env, value);
  return env.Undefined();
}

Napi::Value Device::SetAttr(const Napi::CallbackInfo& info) { return Attr(info, KVM_SET_DEVICE_ATTR, "KVM_SET_DEVICE_ATTR"); }
Napi::Value Device::GetAttr(const Napi::CallbackInfo& info) { return Attr(info, KVM_GET_DEVICE_ATTR, "KVM_GET_DEVICE_ATTR"); }
Napi::Value Device::HasAttr(const Napi::CallbackInfo& info) { return Attr(info, KVM_HAS_DEVICE_ATTR, "KVM_HAS_DEVICE_ATTR"); }

Napi::Value Device::Close(const Napi::CallbackInfo& info) {
  fd_.Reset();
  return info.Env().Undefined();
}

// ------------------------------------------------------------------ module

// openVm(fd, mmapSize): a second handle on an existing VM (dup of fd), for the
// worker thread that creates and runs a vCPU. Closing it leaves the original open.
static Napi::Value OpenVm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = static_cast<int>(ToU32(info[0], "fd"));
  uint32_t mmapSize = ToU32(info[1], "mmapSize");
  int d = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (d < 0) ThrowSys(env, "dup of the VM fd", errno);
  return ToNewObject(env, Data(env).vm, d, mmapSize);
}

static Napi::Value KickFn(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), Kick(ToU32(info[0], "token")));
}

// pageOffset(typedArray): where its first byte sits within a host page (0 = page-aligned).
static Napi::Value PageOffset(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) ThrowType(env, "expected a TypedArray");
  void* data = nullptr;
  size_t bytes = 0;
  TypedArrayBytes(info[0], &data, &bytes);
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(data) % PageSize()));
}

static Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
#define C(name) c.Set(#name, Napi::Number::New(env, static_cast<double>(name)))
  // Capabilities the lab cares about.
  C(KVM_CAP_USER_MEMORY);
  C(KVM_CAP_NR_VCPUS);
  C(KVM_CAP_MAX_VCPUS);
  C(KVM_CAP_NR_MEMSLOTS);
  C(KVM_CAP_IRQCHIP);
  C(KVM_CAP_IMMEDIATE_EXIT);
  C(KVM_CAP_ONE_REG);
  C(KVM_CAP_DEVICE_CTRL);
  C(KVM_CAP_SYNC_MMU);
  C(KVM_CAP_READONLY_MEM);
  C(KVM_CAP_IRQFD);
  C(KVM_CAP_IOEVENTFD);
  C(KVM_CAP_COALESCED_MMIO);
  C(KVM_CAP_INTERNAL_ERROR_DATA);
  C(KVM_CAP_MULTI_ADDRESS_SPACE);
  C(KVM_CAP_ARM_VM_IPA_SIZE);
  C(KVM_CAP_ARM_PSCI);
  C(KVM_CAP_ARM_PSCI_0_2);
  C(KVM_CAP_ARM_EL1_32BIT);
  C(KVM_CAP_ARM_PMU_V3);
  C(KVM_CAP_ARM_SVE);
  C(KVM_CAP_ARM_PTRAUTH_ADDRESS);
  C(KVM_CAP_ARM_PTRAUTH_GENERIC);
  C(KVM_CAP_ARM_MTE);
  C(KVM_CAP_ARM_NISV_TO_USER);
  C(KVM_CAP_ARM_INJECT_EXT_DABT);
  C(KVM_CAP_EXT_CPUID);
  C(KVM_CAP_X86_ROBUST_SINGLESTEP);
  C(KVM_CAP_SET_TSS_ADDR);
  // Exit reasons (kvm_run.exit_reason).
  C(KVM_EXIT_UNKNOWN);
  C(KVM_EXIT_EXCEPTION);
  C(KVM_EXIT_IO);
  C(KVM_EXIT_HYPERCALL);
  C(KVM_EXIT_DEBUG);
  C(KVM_EXIT_HLT);
  C(KVM_EXIT_MMIO);
  C(KVM_EXIT_IRQ_WINDOW_OPEN);
  C(KVM_EXIT_SHUTDOWN);
  C(KVM_EXIT_FAIL_ENTRY);
  C(KVM_EXIT_INTR);
  C(KVM_EXIT_INTERNAL_ERROR);
  C(KVM_EXIT_SYSTEM_EVENT);
  C(KVM_EXIT_ARM_NISV);
  C(KVM_SYSTEM_EVENT_SHUTDOWN);
  C(KVM_SYSTEM_EVENT_RESET);
  C(KVM_SYSTEM_EVENT_CRASH);
  // Device types and the vGIC's attribute groups.
  C(KVM_DEV_TYPE_ARM_VGIC_V2);
  C(KVM_DEV_TYPE_ARM_VGIC_V3);
  C(KVM_DEV_TYPE_ARM_VGIC_ITS);
#if defined(__aarch64__)
  C(KVM_DEV_ARM_VGIC_GRP_ADDR);
  C(KVM_DEV_ARM_VGIC_GRP_NR_IRQS);
  C(KVM_DEV_ARM_VGIC_GRP_CTRL);
  C(KVM_DEV_ARM_VGIC_CTRL_INIT);
  C(KVM_DEV_ARM_VGIC_GRP_DIST_REGS);
  C(KVM_DEV_ARM_VGIC_GRP_REDIST_REGS);
  C(KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO);
  C(KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT);
  C(VGIC_LEVEL_INFO_LINE_LEVEL);
  C(KVM_VGIC_V3_ADDR_TYPE_DIST);
  C(KVM_VGIC_V3_ADDR_TYPE_REDIST);
  C(KVM_ARM_VCPU_POWER_OFF);
  C(KVM_ARM_VCPU_PSCI_0_2);
  C(KVM_ARM_VCPU_PMU_V3);
  C(KVM_ARM_IRQ_TYPE_SHIFT);
  C(KVM_ARM_IRQ_TYPE_SPI);
  C(KVM_ARM_IRQ_TYPE_PPI);
  C(KVM_VM_TYPE_ARM_IPA_SIZE_MASK);
#endif
#undef C
  return c;
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InstallKickSignal();
  auto* data = new AddonData();
  env.SetInstanceData(data);  // deleted with the environment (worker exit)
  Napi::Function kvm = Kvm::Init(env);
  Napi::Function vm = Vm::Init(env);
  Napi::Function vcpu = Vcpu::Init(env);
  Napi::Function device = Device::Init(env);
  data->kvm = Napi::Persistent(kvm);
  data->vm = Napi::Persistent(vm);
  data->vcpu = Napi::Persistent(vcpu);
  data->device = Napi::Persistent(device);
  exports.Set("Kvm", kvm);
  exports.Set("openVm", Napi::Function::New(env, OpenVm, "openVm"));
  exports.Set("kick", Napi::Function::New(env, KickFn, "kick"));
  exports.Set("pageOffset", Napi::Function::New(env, PageOffset, "pageOffset"));
  exports.Set("pageSize", Napi::Number::New(env, static_cast<double>(PageSize())));
#if defined(__x86_64__)
  exports.Set("arch", Napi::String::New(env, "x64"));
#elif defined(__aarch64__)
  exports.Set("arch", Napi::String::New(env, "arm64"));
#else
  exports.Set("arch", Napi::String::New(env, "other"));
#endif
  exports.Set("constants", Constants(env));
  exports.Set("abi", Napi::Number::New(env, 1));
  return exports;
}

}  // namespace armlab

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return armlab::Init(env, exports); }

NODE_API_MODULE(armlab_kvm, InitModule)
