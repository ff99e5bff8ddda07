// JIT prototype (docs/performance.md, "Plan"): the JS a block compiler would emit for the
// ALU benchmark loop, timed. Run: node scripts/jit-prototype.mjs
// What a block-compiling JIT would emit for resources/bench/alu.S's loop body:
//   add x1,x1,x2; eor x1,x1,x3; add x1,x1,x1,lsl #3; sub x1,x1,x4; ror x1,x1,#13; orr x1,x1,x4; subs x9,x9,#1; b.ne
// Registers live in locals (int32 pairs) for the whole loop; NZCV is only materialised
// from the SUBS because B.NE consumes Z; written back to the register file on exit.
const N = 30_000_000;
function makeGenerated() {
  // eslint-disable-next-line no-new-func
  return new Function(
    'x',
    'budget',
    `
    let x1l = x[2], x1h = x[3], x2l = x[4], x2h = x[5], x3l = x[6], x3h = x[7], x4l = x[8], x4h = x[9], x9l = x[18], x9h = x[19];
    let n = 0, s, t, rl, rh;
    do {
      s = (x1l >>> 0) + (x2l >>> 0); x1h = (x1h + x2h + (s > 0xffffffff ? 1 : 0)) | 0; x1l = s | 0;
      x1l ^= x3l; x1h ^= x3h;
      rl = x1l << 3; rh = (x1h << 3) | (x1l >>> 29);
      s = (x1l >>> 0) + (rl >>> 0); x1h = (x1h + rh + (s > 0xffffffff ? 1 : 0)) | 0; x1l = s | 0;
      s = (x1l >>> 0) - (x4l >>> 0); x1h = (x1h - x4h - (s < 0 ? 1 : 0)) | 0; x1l = s | 0;
      t = x1l; x1l = (x1l >>> 13) | (x1h << 19); x1h = (x1h >>> 13) | (t << 19);
      x1l |= x4l; x1h |= x4h;
      s = (x9l >>> 0) - 1; x9h = (x9h - (s < 0 ? 1 : 0)) | 0; x9l = s | 0;
      n += 8;
    } while ((x9l | x9h) !== 0 && n < budget);
    x[2] = x1l; x[3] = x1h; x[18] = x9l; x[19] = x9h;
    return n;`,
  );
}
const f = makeGenerated();
for (let rep = 0; rep < 3; rep++) {
  const x = new Int32Array(68);
  x[2] = 1;
  x[4] = 0x1234;
  x[6] = 0x5555;
  x[7] = 0xaaaa;
  x[8] = 7;
  x[18] = N;
  const t0 = performance.now();
  let done = 0;
  while (x[18] !== 0 || x[19] !== 0) done += f(x, 1 << 30);
  const ms = performance.now() - t0;
  console.log(
    `generated loop: ${(done / ms / 1000).toFixed(0)} MIPS  x1=${((BigInt(x[3] >>> 0) << 32n) | BigInt(x[2] >>> 0)).toString(16)}`,
  );
}
