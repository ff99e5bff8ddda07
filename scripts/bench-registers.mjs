// Register-representation micro-benchmark (docs/registers.md): the same six-op guest loop
// (add, eor, lslv, mul, ldr, subs) interpreted through per-instruction closures, with
// 64-bit registers as BigUint64Array + BigInt vs pairs of int32 in an Int32Array.
// Run: node scripts/bench-registers.mjs
const N = 5_000_000;
const mem = new ArrayBuffer(1 << 20);
const dv = new DataView(mem);
const u32 = new Uint32Array(mem);
// ---- BigInt representation
function mkBig() {
  const x = new BigUint64Array(34);
  const st = { x, nzcv: 0 };
  const add = (d, n, m) => (s) => {
    s.x[d] = BigInt.asUintN(64, s.x[n] + s.x[m]);
  };
  const eor = (d, n, m) => (s) => {
    s.x[d] = s.x[n] ^ s.x[m];
  };
  const lslv = (d, n, m) => (s) => {
    s.x[d] = BigInt.asUintN(64, s.x[n] << (s.x[m] & 63n));
  };
  const mul = (d, n, m) => (s) => {
    s.x[d] = BigInt.asUintN(64, s.x[n] * s.x[m]);
  };
  const ldr = (d, n, imm) => (s) => {
    const a = Number(s.x[n] & 0xfffffn) + imm;
    s.x[d] = dv.getBigUint64(a & 0xffff8, true);
  };
  const subsImm = (d, n, imm) => {
    const b = BigInt(imm);
    return (s) => {
      const a = s.x[n];
      const r = BigInt.asUintN(64, a - b);
      s.x[d] = r;
      const N = Number(r >> 63n),
        Z = r === 0n ? 1 : 0,
        C = a >= b ? 1 : 0;
      const V = Number(((a ^ b) & (a ^ r)) >> 63n);
      s.nzcv = (N << 3) | (Z << 2) | (C << 1) | V;
    };
  };
  const prog = [add(0, 0, 1), eor(2, 0, 2), lslv(4, 0, 5), mul(6, 0, 1), ldr(7, 8, 16), subsImm(3, 3, 1)];
  x[1] = 0x123456789n;
  x[3] = BigInt(N);
  x[5] = 3n;
  x[8] = 0x100n;
  return { st, prog, res: () => x[0].toString(16) + ' ' + x[6].toString(16) };
}
// ---- pairs representation (Int32Array, lo at 2i, hi at 2i+1)
function mkPair() {
  const r = new Int32Array(68);
  const st = { r, nzcv: 0 };
  const add = (d, n, m) => (s) => {
    const r = s.r;
    const lo = (r[2 * n] >>> 0) + (r[2 * m] >>> 0);
    r[2 * d + 1] = (r[2 * n + 1] + r[2 * m + 1] + (lo > 0xffffffff ? 1 : 0)) | 0;
    r[2 * d] = lo | 0;
  };
  const eor = (d, n, m) => (s) => {
    const r = s.r;
    r[2 * d] = r[2 * n] ^ r[2 * m];
    r[2 * d + 1] = r[2 * n + 1] ^ r[2 * m + 1];
  };
  const lslv = (d, n, m) => (s) => {
    const r = s.r;
    const sh = r[2 * m] & 63;
    const lo = r[2 * n],
      hi = r[2 * n + 1];
    if (sh === 0) {
      r[2 * d] = lo;
      r[2 * d + 1] = hi;
    } else if (sh < 32) {
      r[2 * d + 1] = (hi << sh) | (lo >>> (32 - sh));
      r[2 * d] = lo << sh;
    } else {
      r[2 * d + 1] = lo << (sh - 32);
      r[2 * d] = 0;
    }
  };
  const mul = (d, n, m) => (s) => {
    const r = s.r;
    const al = r[2 * n] >>> 0,
      ah = r[2 * n + 1],
      bl = r[2 * m] >>> 0,
      bh = r[2 * m + 1];
    // 32x32->64 low via 16-bit parts
    const a0 = al & 0xffff,
      a1 = al >>> 16,
      b0 = bl & 0xffff,
      b1 = bl >>> 16;
    const p00 = a0 * b0,
      mid = a1 * b0 + a0 * b1; // < 2^33
    const lo = p00 + (mid % 65536) * 65536;
    const carry = Math.floor(lo / 4294967296);
    const hiPart = a1 * b1 + Math.floor(mid / 65536) + carry;
    r[2 * d] = lo | 0;
    r[2 * d + 1] = (hiPart + Math.imul(al | 0, bh) + Math.imul(ah, bl | 0)) | 0;
  };
  const ldr = (d, n, imm) => (s) => {
    const r = s.r;
    const a = ((r[2 * n] & 0xfffff) + imm) & 0xffff8;
    r[2 * d] = u32[a >> 2];
    r[2 * d + 1] = u32[(a >> 2) + 1];
  };
  const subsImm = (d, n, imm) => (s) => {
    const r = s.r;
    const lo = r[2 * n] >>> 0,
      hi = r[2 * n + 1] | 0;
    const dl = lo - imm;
    const b = dl < 0 ? 1 : 0;
    const dh = (hi - b) | 0;
    r[2 * d] = dl | 0;
    r[2 * d + 1] = dh;
    const N = dh >>> 31,
      Z = (dl | 0 | dh) === 0 ? 1 : 0,
      C = hi !== 0 || lo >= imm ? 1 : 0; // imm hi = 0; approximate C for unsigned hi
    const V = ((hi ^ 0) & (hi ^ dh)) >>> 31;
    s.nzcv = (N << 3) | (Z << 2) | (C << 1) | V;
  };
  const prog = [add(0, 0, 1), eor(2, 0, 2), lslv(4, 0, 5), mul(6, 0, 1), ldr(7, 8, 16), subsImm(3, 3, 1)];
  r[2] = 0x23456789;
  r[3] = 1;
  r[6] = N;
  r[10] = 3;
  r[16] = 0x100;
  return {
    st,
    prog,
    res: () =>
      ((BigInt(r[1] >>> 0) << 32n) | BigInt(r[0] >>> 0)).toString(16) +
      ' ' +
      ((BigInt(r[13] >>> 0) << 32n) | BigInt(r[12] >>> 0)).toString(16),
  };
}
function run(m) {
  const { st, prog } = m;
  const L = prog.length;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < L; k++) prog[k](st);
    if (st.nzcv & 4) break;
  }
  return performance.now() - t0;
}
for (let rep = 0; rep < 2; rep++)
  for (const mk of [mkBig, mkPair]) {
    const m = mk();
    const ms = run(m);
    console.log(mk.name, ms.toFixed(0) + 'ms', ((6 * N) / ms / 1000).toFixed(1), 'MIPS', m.res());
  }
