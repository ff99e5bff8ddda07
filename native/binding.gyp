{
  "targets": [
    {
      "target_name": "armlab_kvm",
      "sources": ["src/addon.cc", "src/common.cc", "src/exits.cc", "src/kick.cc", "src/regs_x86.cc", "src/vcpu.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [["OS!='linux'", {"type": "none"}]]
    }
  ]
}
