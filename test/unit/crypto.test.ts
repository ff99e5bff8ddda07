/**
 * Cryptographic Extension: AES, SHA-1, SHA-256, PMULL. Encodings from
 * aarch64-linux-gnu-as -march=armv8-a+crypto (text next to each). Expected values:
 * FIPS-197 Appendix B round states and ciphertext, FIPS-180 "abc" digests, and for
 * longer inputs Node's own AES/SHA implementations, with the instructions driven one
 * at a time in the order the Arm crypto sequences use them.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CODE, HLT_STOP, makeMachine } from '../helpers/cpu.js';
import { getModel, type CpuModel } from '../../core/a64/models.js';
import { R } from '../../core/a64/sysregs.js';

/** One machine on which single instructions run one after another (each at a fresh address). */
function stepper(model = 'cortex-a57') {
  const m = makeMachine({ model });
  let at = CODE;
  const c = m.c;
  return {
    c,
    exec(word: number): void {
      m.poke32(at, [word, HLT_STOP]);
      c.setPc(at, 0);
      m.run(100);
      at += 8;
    },
    setBytes(r: number, b: Uint8Array): void {
      c.v8.set(b, 16 * r);
    },
    bytes(r: number): Uint8Array {
      return c.v8.slice(16 * r, 16 * r + 16);
    },
    setWords(r: number, w: number[]): void {
      for (let i = 0; i < 4; i++) c.v32[4 * r + i] = w[i] ?? 0;
    },
    words(r: number): number[] {
      return [0, 1, 2, 3].map((i) => c.v32[4 * r + i] >>> 0);
    },
  };
}

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Register fields: Rd = 0, Rn = 1 (+ Rm = 2 for the three-register forms).
const AESE = 0x4e284820; // aese v0.16b, v1.16b
const AESD = 0x4e285820; // aesd v0.16b, v1.16b
const AESMC = 0x4e286800; // aesmc v0.16b, v0.16b
const AESIMC = 0x4e287800; // aesimc v0.16b, v0.16b
const AESIMC_1 = 0x4e287821; // aesimc v1.16b, v1.16b
const SHA1C = 0x5e020020; // sha1c q0, s1, v2.4s
const SHA1P = 0x5e021020; // sha1p q0, s1, v2.4s
const SHA1M = 0x5e022020; // sha1m q0, s1, v2.4s
const SHA1SU0 = 0x5e023020; // sha1su0 v0.4s, v1.4s, v2.4s
const SHA256H = 0x5e024020; // sha256h q0, q1, v2.4s
const SHA256H2 = 0x5e025020; // sha256h2 q0, q1, v2.4s
const SHA256SU1 = 0x5e026020; // sha256su1 v0.4s, v1.4s, v2.4s
const SHA1H = 0x5e280820; // sha1h s0, s1
const SHA1SU1 = 0x5e281820; // sha1su1 v0.4s, v1.4s
const SHA256SU0 = 0x5e282820; // sha256su0 v0.4s, v1.4s
const PMULL_1Q = 0x0ee2e020; // pmull v0.1q, v1.1d, v2.1d
const PMULL2_1Q = 0x4ee2e020; // pmull2 v0.1q, v1.2d, v2.2d
const PMULL_8H = 0x0e22e020; // pmull v0.8h, v1.8b, v2.8b
const PMULL2_8H = 0x4e22e020; // pmull2 v0.8h, v1.16b, v2.16b

// ---- an AES-128 key schedule written independently of the emulator (FIPS-197 §5.2) ----

function testSbox(): Uint8Array {
  // log/antilog tables over generator 3, then the affine map
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x &= 0xff;
  }
  const s = new Uint8Array(256);
  for (let a = 0; a < 256; a++) {
    const inv = a === 0 ? 0 : exp[(255 - log[a]) % 255];
    let r = 0x63;
    for (let k = 0; k < 5; k++) r ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
    s[a] = r;
  }
  return s;
}

function expandKey(key: Uint8Array): Uint8Array[] {
  const s = testSbox();
  const w = new Uint8Array(176);
  w.set(key);
  let rcon = 1;
  for (let i = 16; i < 176; i += 4) {
    let t = w.slice(i - 4, i);
    if (i % 16 === 0) {
      t = Uint8Array.of(s[t[1]] ^ rcon, s[t[2]], s[t[3]], s[t[0]]);
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    }
    for (let k = 0; k < 4; k++) w[i + k] = w[i - 16 + k] ^ t[k];
  }
  return Array.from({ length: 11 }, (_, r) => w.slice(16 * r, 16 * r + 16));
}

/** AES-128 encryption of one block through AESE/AESMC (v0 = state, v1 = round key). */
function aesEncrypt(st: ReturnType<typeof stepper>, rk: Uint8Array[], block: Uint8Array): Uint8Array {
  st.setBytes(0, block);
  for (let r = 0; r < 9; r++) {
    st.setBytes(1, rk[r]);
    st.exec(AESE);
    st.exec(AESMC);
  }
  st.setBytes(1, rk[9]);
  st.exec(AESE);
  return st.bytes(0).map((b, i) => b ^ rk[10][i]);
}

/** AES-128 decryption through AESD/AESIMC with the equivalent inverse key schedule (keys made by AESIMC). */
function aesDecrypt(st: ReturnType<typeof stepper>, rk: Uint8Array[], block: Uint8Array): Uint8Array {
  const dk = rk.map((k, r) => {
    if (r === 0 || r === 10) return k;
    st.setBytes(1, k);
    st.exec(AESIMC_1);
    return st.bytes(1);
  });
  st.setBytes(0, block);
  st.setBytes(1, dk[10]);
  st.exec(AESD);
  for (let r = 9; r >= 1; r--) {
    st.exec(AESIMC);
    st.setBytes(1, dk[r]);
    st.exec(AESD);
  }
  return st.bytes(0).map((b, i) => b ^ dk[0][i]);
}

describe('AES (FIPS-197 Appendix B)', () => {
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  const input = hex('3243f6a8885a308d313198a2e0370734');
  const rk = expandKey(key);

  it('the independent key schedule gives FIPS-197 A.1 round key 10', () => {
    expect(toHex(rk[10])).toBe('d014f9a8c9ee2589e13f0cc8b6630ca6');
  });

  it('AESE = ShiftRows(SubBytes(state EOR key)), AESMC = MixColumns (round 1 of B)', () => {
    const st = stepper();
    st.setBytes(0, input);
    st.setBytes(1, key);
    st.exec(AESE);
    expect(toHex(st.bytes(0))).toBe('d4bf5d30e0b452aeb84111f11e2798e5');
    st.exec(AESMC);
    expect(toHex(st.bytes(0))).toBe('046681e5e0cb199a48f8d37a2806264c');
    st.exec(AESIMC);
    expect(toHex(st.bytes(0))).toBe('d4bf5d30e0b452aeb84111f11e2798e5');
  });

  it('encrypts the FIPS-197 block and decrypts it back', () => {
    const st = stepper();
    const ct = aesEncrypt(st, rk, input);
    expect(toHex(ct)).toBe('3925841d02dc09fbdc118597196a0b32');
    expect(toHex(aesDecrypt(st, rk, ct))).toBe(toHex(input));
  });

  it('matches Node AES-128-ECB on random keys and blocks', () => {
    const st = stepper();
    for (let t = 0; t < 8; t++) {
      const k = randomBytes(16);
      const p = randomBytes(16);
      const c = createCipheriv('aes-128-ecb', k, null).setAutoPadding(false).update(p);
      const keys = expandKey(k);
      expect(toHex(aesEncrypt(st, keys, p))).toBe(c.toString('hex'));
      expect(toHex(aesDecrypt(st, keys, c))).toBe(p.toString('hex'));
    }
  });

  it('Rd = Rn: aese v0.16b, v0.16b is SubBytes(ShiftRows(0))', () => {
    const st = stepper();
    st.setBytes(0, randomBytes(16));
    st.exec(0x4e284800); // aese v0.16b, v0.16b
    expect(toHex(st.bytes(0))).toBe('63'.repeat(16));
  });
});

/** FIPS-180 padding of `msg` into 512-bit blocks of sixteen big-endian words. */
function pad(msg: Uint8Array): number[][] {
  const len = Math.ceil((msg.length + 9) / 64) * 64;
  const b = new Uint8Array(len);
  b.set(msg);
  b[msg.length] = 0x80;
  const dv = new DataView(b.buffer);
  dv.setUint32(len - 4, msg.length * 8);
  dv.setUint32(len - 8, Math.floor((msg.length * 8) / 2 ** 32));
  const blocks: number[][] = [];
  for (let o = 0; o < len; o += 64) blocks.push(Array.from({ length: 16 }, (_, i) => dv.getUint32(o + 4 * i)));
  return blocks;
}

const add4 = (a: number[], b: number[]): number[] => a.map((x, i) => (x + b[i]) >>> 0);
const hexWords = (w: number[]): string => w.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('');

/** SHA-1 through SHA1C/P/M/H/SU0/SU1 (v0 = abcd or schedule word, v1 = e or next word, v2 = W+K). */
function sha1(msg: Uint8Array): string {
  const st = stepper();
  const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  for (const block of pad(msg)) {
    const w: number[][] = [0, 1, 2, 3].map((i) => block.slice(4 * i, 4 * i + 4));
    for (let i = 4; i < 20; i++) {
      st.setWords(0, w[i - 4]);
      st.setWords(1, w[i - 3]);
      st.setWords(2, w[i - 2]);
      st.exec(SHA1SU0);
      st.setWords(1, w[i - 1]);
      st.exec(SHA1SU1);
      w.push(st.words(0));
    }
    let abcd = h.slice(0, 4);
    let e = h[4];
    for (let i = 0; i < 20; i++) {
      st.setWords(1, [abcd[0]]);
      st.exec(SHA1H);
      const eNext = st.words(0)[0];
      st.setWords(0, abcd);
      st.setWords(1, [e, 0xdead, 0xbeef, 0xf00d]); // only Sn<31:0> is an operand
      st.setWords(2, add4(w[i], Array(4).fill(K[Math.floor(i / 5)])));
      st.exec(i < 5 ? SHA1C : i < 10 || i >= 15 ? SHA1P : SHA1M);
      abcd = st.words(0);
      e = eNext;
    }
    const sum = add4(h, [...abcd, e]);
    h.splice(0, 5, ...sum);
  }
  return hexWords(h);
}

function sha256K(): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes.map((p) => Math.floor((Math.cbrt(p) % 1) * 2 ** 32) >>> 0);
}

/** SHA-256 through SHA256H/H2/SU0/SU1 (v0 = abcd or efgh, v1 = the other, v2 = W+K). */
function sha256(msg: Uint8Array): string {
  const st = stepper();
  const K = sha256K();
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  for (const block of pad(msg)) {
    const w: number[][] = [0, 1, 2, 3].map((i) => block.slice(4 * i, 4 * i + 4));
    for (let i = 4; i < 16; i++) {
      st.setWords(0, w[i - 4]);
      st.setWords(1, w[i - 3]);
      st.exec(SHA256SU0);
      st.setWords(1, w[i - 2]);
      st.setWords(2, w[i - 1]);
      st.exec(SHA256SU1);
      w.push(st.words(0));
    }
    let abcd = h.slice(0, 4);
    let efgh = h.slice(4, 8);
    for (let i = 0; i < 16; i++) {
      const wk = add4(w[i], K.slice(4 * i, 4 * i + 4));
      st.setWords(0, abcd);
      st.setWords(1, efgh);
      st.setWords(2, wk);
      st.exec(SHA256H);
      const abcdNext = st.words(0);
      st.setWords(0, efgh);
      st.setWords(1, abcd);
      st.exec(SHA256H2);
      efgh = st.words(0);
      abcd = abcdNext;
    }
    h.splice(0, 8, ...add4(h, [...abcd, ...efgh]));
  }
  return hexWords(h);
}

describe('SHA-1 (FIPS-180)', () => {
  it('digest of "abc"', () => {
    expect(sha1(Buffer.from('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
  it('digest of the two-block FIPS message and of random data matches Node', () => {
    const two = Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    expect(sha1(two)).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    const r = randomBytes(200);
    expect(sha1(r)).toBe(createHash('sha1').update(r).digest('hex'));
  });
  it('SHA1H clears the rest of Vd', () => {
    const st = stepper();
    st.setWords(0, [1, 2, 3, 4]);
    st.setWords(1, [0x80000001, 5, 6, 7]);
    st.exec(SHA1H);
    expect(st.words(0)).toEqual([0x60000000, 0, 0, 0]);
  });
});

describe('SHA-256 (FIPS-180)', () => {
  it('digest of "abc"', () => {
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('digest of random multi-block data matches Node', () => {
    const r = randomBytes(300);
    expect(sha256(r)).toBe(createHash('sha256').update(r).digest('hex'));
  });
});

/** Carry-less product of two BigInts (reference). */
function clmul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0n; b >> i !== 0n; i++) if ((b >> i) & 1n) r ^= a << i;
  return r;
}
const big128 = (w: number[]): bigint => w.reduceRight((acc, x) => (acc << 32n) | BigInt(x >>> 0), 0n);

describe('PMULL / PMULL2', () => {
  it('1Q: 64 × 64 carry-less products of the low and high halves', () => {
    const st = stepper();
    for (let t = 0; t < 20; t++) {
      const a = Array.from(randomBytes(16));
      const b = Array.from(randomBytes(16));
      st.setBytes(1, Uint8Array.from(a));
      st.setBytes(2, Uint8Array.from(b));
      const A = big128(Array.from(new Int32Array(Uint8Array.from(a).buffer)));
      const B = big128(Array.from(new Int32Array(Uint8Array.from(b).buffer)));
      const lo = (x: bigint): bigint => x & ((1n << 64n) - 1n);
      st.exec(PMULL_1Q);
      expect(big128(st.words(0))).toBe(clmul(lo(A), lo(B)));
      st.exec(PMULL2_1Q);
      expect(big128(st.words(0))).toBe(clmul(A >> 64n, B >> 64n));
    }
  });
  it('1Q: all ones squared', () => {
    const st = stepper();
    st.setWords(1, [-1, -1, 0, 0]);
    st.setWords(2, [-1, -1, 0, 0]);
    st.exec(PMULL_1Q);
    // (x^64-1)/(x-1) squared over GF(2) = sum of even powers below 128
    expect(st.words(0)).toEqual([0x55555555, 0x55555555, 0x55555555, 0x55555555]);
  });
  it('8H: eight 8 × 8 products, PMULL2 from the upper bytes', () => {
    const st = stepper();
    const a = randomBytes(16);
    const b = randomBytes(16);
    st.setBytes(1, a);
    st.setBytes(2, b);
    st.exec(PMULL_8H);
    const h = new Uint16Array(st.c.vbuf, 0, 8);
    for (let i = 0; i < 8; i++) expect(h[i]).toBe(Number(clmul(BigInt(a[i]), BigInt(b[i]))));
    st.exec(PMULL2_8H);
    for (let i = 0; i < 8; i++) expect(h[i]).toBe(Number(clmul(BigInt(a[8 + i]), BigInt(b[8 + i]))));
  });
});

describe('feature gating', () => {
  const words = [
    AESE,
    AESD,
    AESMC,
    AESIMC,
    SHA1C,
    SHA1P,
    SHA1M,
    SHA1H,
    SHA1SU0,
    SHA1SU1,
    SHA256H,
    SHA256H2,
    SHA256SU0,
    SHA256SU1,
    PMULL_1Q,
    PMULL2_1Q,
  ];
  const VBAR = 0x4000_0000;

  /** Runs `word` once on `model` with VBAR_EL1 set; true when it took the UNDEFINED exception (EC 0 at the sync vector). */
  function undefinedOn(model: CpuModel, word: number): boolean {
    const m = makeMachine({ model });
    m.c.sys.set64(R.VBAR_EL1, BigInt(VBAR));
    m.poke32(CODE, [word, HLT_STOP]);
    m.poke32(VBAR + 0x200, [HLT_STOP]);
    m.run(100);
    return m.c.pc === BigInt(VBAR + 0x200) && m.c.sys.get64(R.ESR_EL1) >> 26n === 0n && m.c.sys.get64(R.ELR_EL1) === BigInt(CODE);
  }

  it('the Cortex models, which advertise AES/SHA1/SHA2/PMULL in ID_AA64ISAR0_EL1, run every crypto word', () => {
    for (const name of ['cortex-a53', 'cortex-a57', 'cortex-a72']) {
      for (const w of words) expect(undefinedOn(getModel(name), w), `${name} ${w.toString(16)}`).toBe(false);
    }
  });

  it('a model without the features takes UNDEFINED for each of them; PMULL 8H is baseline AdvSIMD', () => {
    const a57 = getModel('cortex-a57');
    const none: CpuModel = { ...a57, features: { ...a57.features, aes: false, pmull: false, sha1: false, sha2: false } };
    for (const w of words) expect(undefinedOn(none, w), w.toString(16)).toBe(true);
    expect(undefinedOn(none, PMULL_8H)).toBe(false);
  });

  it('reserved sizes of PMULL (01, 10) are UNDEFINED', () => {
    expect(undefinedOn(getModel('cortex-a57'), 0x0e62e020)).toBe(true); // pmull size=01
    expect(undefinedOn(getModel('cortex-a57'), 0x0ea2e020)).toBe(true); // pmull size=10
  });
});
