// kvm_run → a tagged JavaScript object. One shape per exit kind:
//   { reason: 'mmio', code, addr, len, isWrite, data, dataHi }   data = bytes 0-3, dataHi = bytes 4-7 (LE)
//   { reason: 'io', code, port, size, count, isWrite, data }     data = first element (OUT)
//   { reason: 'hlt' | 'shutdown' | 'irq-window' | 'intr', code }
//   { reason: 'system-event', code, type, flags: bigint, data: bigint[] }
//   { reason: 'internal-error', code, suberror, data: bigint[] }
//   { reason: 'fail-entry', code, hardwareEntryFailureReason: bigint, cpu }
//   { reason: 'exception', code, exception, errorCode }
//   { reason: 'unknown', code, hardwareExitReason: bigint }
//   { reason: 'arm-nisv', code, esrIss: bigint, faultIpa: bigint }
//   { reason: 'other', code }                                     anything else (code = exit_reason)
#include "kvm_objects.h"

namespace armlab {

static uint32_t Le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

static Napi::Array U64Array(Napi::Env env, const __u64* v, uint32_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (uint32_t i = 0; i < n; i++) a.Set(i, U64(env, v[i]));
  return a;
}

Napi::Value ExitToObject(Napi::Env env, const kvm_run* run) {
  Napi::Object o = Napi::Object::New(env);
  auto tag = [&](const char* reason) {
    o.Set("reason", Napi::String::New(env, reason));
    o.Set("code", Napi::Number::New(env, run->exit_reason));
  };
  switch (run->exit_reason) {
    case KVM_EXIT_MMIO: {
      tag("mmio");
      o.Set("addr", Napi::Number::New(env, static_cast<double>(run->mmio.phys_addr)));  // < 2^52
      o.Set("len", Napi::Number::New(env, run->mmio.len));
      o.Set("isWrite", Napi::Boolean::New(env, run->mmio.is_write != 0));
      // Only the first len bytes are meaningful; the rest are masked off.
      uint8_t b[8] = {};
      for (uint32_t i = 0; i < run->mmio.len && i < 8; i++) b[i] = run->mmio.data[i];
      o.Set("data", Napi::Number::New(env, Le32(b)));
      o.Set("dataHi", Napi::Number::New(env, Le32(b + 4)));
      break;
    }
    case KVM_EXIT_IO: {
      tag("io");
      o.Set("port", Napi::Number::New(env, run->io.port));
      o.Set("size", Napi::Number::New(env, run->io.size));
      o.Set("count", Napi::Number::New(env, run->io.count));
      o.Set("isWrite", Napi::Boolean::New(env, run->io.direction == KVM_EXIT_IO_OUT));
      const uint8_t* p = reinterpret_cast<const uint8_t*>(run) + run->io.data_offset;
      uint8_t b[4] = {};
      for (uint32_t i = 0; i < run->io.size && i < 4; i++) b[i] = p[i];
      o.Set("data", Napi::Number::New(env, Le32(b)));
      break;
    }
    case KVM_EXIT_HLT:
      tag("hlt");
      break;
    case KVM_EXIT_SHUTDOWN:
      tag("shutdown");
      break;
    case KVM_EXIT_IRQ_WINDOW_OPEN:
      tag("irq-window");
      break;
    case KVM_EXIT_INTR:
      tag("intr");
      break;
    case KVM_EXIT_SYSTEM_EVENT: {
      tag("system-event");
      o.Set("type", Napi::Number::New(env, run->system_event.type));
      o.Set("flags", U64(env, run->system_event.flags));
      uint32_t n = run->system_event.ndata < 16 ? run->system_event.ndata : 16;
      o.Set("data", U64Array(env, run->system_event.data, n));
      break;
    }
    case KVM_EXIT_INTERNAL_ERROR: {
      tag("internal-error");
      o.Set("suberror", Napi::Number::New(env, run->internal.suberror));
      uint32_t n = run->internal.ndata < 16 ? run->internal.ndata : 16;
      o.Set("data", U64Array(env, run->internal.data, n));
      break;
    }
    case KVM_EXIT_FAIL_ENTRY:
      tag("fail-entry");
      o.Set("hardwareEntryFailureReason", U64(env, run->fail_entry.hardware_entry_failure_reason));
      o.Set("cpu", Napi::Number::New(env, run->fail_entry.cpu));
      break;
    case KVM_EXIT_EXCEPTION:
      tag("exception");
      o.Set("exception", Napi::Number::New(env, run->ex.exception));
      o.Set("errorCode", Napi::Number::New(env, run->ex.error_code));
      break;
    case KVM_EXIT_UNKNOWN:
      tag("unknown");
      o.Set("hardwareExitReason", U64(env, run->hw.hardware_exit_reason));
      break;
    case KVM_EXIT_ARM_NISV:
      tag("arm-nisv");
      o.Set("esrIss", U64(env, run->arm_nisv.esr_iss));
      o.Set("faultIpa", U64(env, run->arm_nisv.fault_ipa));
      break;
    default:
      tag("other");
      break;
  }
  return o;
}

}  // namespace armlab
