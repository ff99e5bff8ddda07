/**
 * The translation inspector: walks a VA without touching the TLB and reports,
 * for every level, where the descriptor is, its raw value and decoded fields,
 * and the result (PA, attributes, permissions) or the fault with the ESR, FAR
 * and HPFAR values the exception would carry.
 */
import type { Cpu } from '../a64/cpu.js';
import { R } from '../a64/sysregs.js';
import { ACC_EXEC, ACC_READ, ACC_WRITE } from '../mem/mempath.js';
import { faultStatusCode, type Mmu } from './mmu.js';
import { REGIME_NAMES, regimeFor, s1Enabled, s2Enabled } from './params.js';
import type { LevelTrace, LeafAttrs } from './walk.js';

export type AccessKind = 'read' | 'write' | 'exec';

export interface InspectLevel {
  stage: 1 | 2;
  level: number;
  tableBase: string;
  index: number;
  descPa: string;
  desc?: string;
  kind: LevelTrace['kind'];
  next?: string;
  fields: Record<string, number | string>;
  /** E.g. "AF would be set by hardware": the inspection itself changes nothing. */
  note?: string;
}

export interface InspectResult {
  va: string;
  el: number;
  access: AccessKind;
  regime: string;
  stage1: boolean;
  stage2: boolean;
  levels: InspectLevel[];
  ok: boolean;
  pa?: string;
  attrs?: Record<string, number | string>;
  fault?: {
    kind: string;
    level: number;
    stage: 1 | 2;
    s1ptw: boolean;
    dfsc: string;
    esr: string;
    far: string;
    hpfar?: string;
    ipa?: string;
  };
}

const hex = (v: number | bigint): string => '0x' + v.toString(16);

function descFields(t: LevelTrace): Record<string, number | string> {
  if (t.descLo === undefined || t.descHi === undefined) return {};
  const lo = t.descLo;
  const hi = t.descHi;
  if (t.kind === 'table') {
    return t.stage === 1
      ? { NSTable: (hi >>> 31) & 1, APTable: (hi >>> 29) & 3, UXNTable: (hi >>> 28) & 1, PXNTable: (hi >>> 27) & 1 }
      : {};
  }
  if (t.kind !== 'page' && t.kind !== 'block') return { valid: lo & 1, bit1: (lo >>> 1) & 1 };
  if (t.stage === 2) {
    return {
      MemAttr: hex((lo >>> 2) & 0xf),
      S2AP: (lo >>> 6) & 3,
      SH: (lo >>> 8) & 3,
      AF: (lo >>> 10) & 1,
      DBM: (hi >>> 19) & 1,
      Contiguous: (hi >>> 20) & 1,
      XN: (hi >>> 21) & 3,
    };
  }
  return {
    AttrIndx: (lo >>> 2) & 7,
    NS: (lo >>> 5) & 1,
    AP: (lo >>> 6) & 3,
    SH: (lo >>> 8) & 3,
    AF: (lo >>> 10) & 1,
    nG: (lo >>> 11) & 1,
    DBM: (hi >>> 19) & 1,
    Contiguous: (hi >>> 20) & 1,
    PXN: (hi >>> 21) & 1,
    UXN: (hi >>> 22) & 1,
  };
}

function leafSummary(c: Cpu, a: LeafAttrs | null, stage: 1 | 2, regime: number): Record<string, number | string> {
  if (a === null) return {};
  if (stage === 2) return { s2MemAttr: hex(a.attr), s2AP: a.ap, s2XN: a.pxn };
  const mairIdx = regime === 0 ? R.MAIR_EL1 : regime === 3 ? R.MAIR_EL3 : R.MAIR_EL2;
  const word = a.attr < 4 ? c.sys.lo(mairIdx) : c.sys.hi(mairIdx);
  const mair = (word >>> (8 * (a.attr & 3))) & 0xff;
  const type = (mair & 0xf0) === 0 ? `Device-${['nGnRnE', 'nGnRE', 'nGRE', 'GRE'][(mair >>> 2) & 3]}` : 'Normal';
  return {
    AttrIndx: a.attr,
    MAIR: hex(mair),
    memType: type,
    AP: a.ap,
    SH: a.sh,
    nG: a.ng,
    PXN: a.pxn,
    UXN: a.uxn,
    DBM: a.dbm,
    Contiguous: a.contiguous,
  };
}

export function inspectTranslation(c: Cpu, mmu: Mmu, va: bigint, access: AccessKind = 'read', el = c.el): InspectResult {
  const lo = Number(va & 0xffffffffn) | 0;
  const hi = Number((va >> 32n) & 0xffffffffn) | 0;
  const acc = access === 'write' ? ACC_WRITE : access === 'exec' ? ACC_EXEC : ACC_READ;
  const regime = regimeFor(c, el);
  const trace: LevelTrace[] = [];
  const r = mmu.translate(lo, hi, acc, el, trace);
  const out: InspectResult = {
    va: hex(va),
    el,
    access,
    regime: REGIME_NAMES[regime],
    stage1: s1Enabled(c, regime),
    stage2: s2Enabled(c, regime),
    levels: trace.map((t) => ({
      stage: t.stage,
      level: t.level,
      tableBase: hex(t.tableBase),
      index: t.index,
      descPa: hex(t.descPa),
      desc: t.descLo === undefined ? undefined : hex((BigInt(t.descHi! >>> 0) << 32n) | BigInt(t.descLo >>> 0)),
      kind: t.kind,
      next: t.next === undefined ? undefined : hex(t.next),
      fields: descFields(t),
      ...(t.note === undefined ? {} : { note: t.note }),
    })),
    ok: r.ok,
  };
  if (r.ok) {
    out.pa = hex(r.pa);
    out.attrs = {
      ...leafSummary(c, r.entry.s1, 1, regime),
      ...leafSummary(c, r.entry.s2, 2, regime),
      device: r.device ? 1 : 0,
      blockSize: hex(2 ** r.entry.sizeBits),
    };
    if (r.entry.s2 !== null) {
      // Stages 1 and 2 combined (AArch64.CombineS1S2Desc), as PAR_EL1 reports them.
      const par = mmu.parAttrs(r, regime);
      out.attrs.combinedAttr = hex(par & 0xff);
      out.attrs.combinedSH = par >> 8;
    }
    return out;
  }
  const dfsc = faultStatusCode(r.kind, r.level);
  const target = r.stage === 2 ? 2 : el === 0 ? 1 : el;
  const ec = access === 'exec' ? (target > el ? 0x20 : 0x21) : target > el ? 0x24 : 0x25;
  let iss = dfsc;
  if (access === 'write') iss |= 1 << 6;
  if (r.s1ptw) iss |= 1 << 7;
  const esr = ((ec << 26) | (1 << 25) | iss) >>> 0;
  out.fault = { kind: r.kind, level: r.level, stage: r.stage, s1ptw: r.s1ptw, dfsc: hex(dfsc), esr: hex(esr), far: hex(va) };
  if (r.ipa >= 0) {
    out.fault.ipa = hex(r.ipa);
    out.fault.hpfar = hex(BigInt(Math.floor(r.ipa / 4096)) << 4n);
  }
  return out;
}

/** Human-readable rendering for the CLI. */
export function formatInspection(x: InspectResult): string {
  const lines = [
    `VA ${x.va} ${x.access} at EL${x.el}, regime ${x.regime}, stage 1 ${x.stage1 ? 'on' : 'off'}, stage 2 ${x.stage2 ? 'on' : 'off'}`,
  ];
  for (const l of x.levels) {
    const f = Object.entries(l.fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(
      `  S${l.stage} L${l.level}: table ${l.tableBase}[${l.index}] desc@${l.descPa} = ${l.desc ?? '(abort)'} ${l.kind}${l.next ? ' → ' + l.next : ''}${f ? '  ' + f : ''}${l.note ? `  (${l.note})` : ''}`,
    );
  }
  if (x.ok) {
    lines.push(
      `  → PA ${x.pa}  ${Object.entries(x.attrs ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  } else if (x.fault) {
    const f = x.fault;
    lines.push(
      `  → ${f.kind} fault, level ${f.level}, stage ${f.stage}${f.s1ptw ? ' (on a stage-1 table walk)' : ''}: DFSC ${f.dfsc} ESR ${f.esr} FAR ${f.far}` +
        (f.hpfar ? ` HPFAR ${f.hpfar} (IPA ${f.ipa})` : ''),
    );
  }
  return lines.join('\n');
}
