// Kicking a running vCPU from another thread (pause/stop): set the vCPU's
// kvm_run.immediate_exit, then signal the thread that runs it. A signal that
// lands inside KVM_RUN makes it return EINTR; one that lands just before is
// covered by immediate_exit, which makes the next KVM_RUN return EINTR at once.
#include <mutex>
#include <signal.h>
#include <sys/syscall.h>
#include <unordered_map>

#include "kvm_objects.h"

namespace armlab {

namespace {

struct Entry {
  pid_t tid;
  kvm_run* run;
};

std::mutex g_mu;
std::unordered_map<uint32_t, Entry> g_vcpus;
uint32_t g_next = 1;
std::once_flag g_signalOnce;

int KickSignal() { return SIGRTMIN + 4; }

void OnKick(int) {}  // only interrupts KVM_RUN; immediate_exit carries the request

}  // namespace

void InstallKickSignal() {
  std::call_once(g_signalOnce, [] {
    struct sigaction sa {};
    sa.sa_handler = OnKick;
    sa.sa_flags = SA_RESTART;  // other syscalls of the vCPU thread just carry on
    sigemptyset(&sa.sa_mask);
    ::sigaction(KickSignal(), &sa, nullptr);
  });
}

uint32_t RegisterKickable(pid_t tid, kvm_run* run) {
  std::lock_guard<std::mutex> lock(g_mu);
  uint32_t token = g_next++;
  g_vcpus[token] = Entry{tid, run};
  return token;
}

void UnregisterKickable(uint32_t token) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_vcpus.erase(token);
}

bool Kick(uint32_t token) {
  std::lock_guard<std::mutex> lock(g_mu);  // the vCPU cannot unmap kvm_run while we hold it
  auto it = g_vcpus.find(token);
  if (it == g_vcpus.end()) return false;
  __atomic_store_n(&it->second.run->immediate_exit, 1, __ATOMIC_SEQ_CST);
  ::syscall(SYS_tgkill, ::getpid(), it->second.tid, KickSignal());
  return true;
}

}  // namespace armlab
