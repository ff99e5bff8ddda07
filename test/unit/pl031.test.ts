// The PL031 RTC (ARM DDI 0224): counter from host time, RTCLR load, match interrupt, PrimeCell IDs.
import { describe, it, expect } from 'vitest';
import { Pl031 } from '../../core/board/pl031.js';

describe('PL031', () => {
  it('counts host seconds, loads through RTCLR, and raises the match interrupt when enabled', () => {
    let now = 1_700_000_000.4;
    const lines: boolean[] = [];
    const rtc = new Pl031(
      () => now,
      (l) => lines.push(l),
    );
    expect(rtc.read(0x000)).toBe(1_700_000_000);
    rtc.write(0x008, 4, 1000); // RTCLR
    expect(rtc.read(0x000)).toBe(1000);
    now += 5;
    expect(rtc.read(0x000)).toBe(1005);
    rtc.write(0x004, 4, 1007); // RTCMR
    rtc.write(0x010, 4, 1); // RTCIMSC
    rtc.poll();
    expect(rtc.read(0x014)).toBe(0); // RIS: not yet
    now += 2;
    rtc.poll();
    expect(rtc.read(0x014)).toBe(1);
    expect(rtc.read(0x018)).toBe(1); // MIS
    expect(lines.at(-1)).toBe(true);
    rtc.write(0x01c, 4, 1); // RTCICR
    expect(rtc.read(0x018)).toBe(0);
    expect(lines.at(-1)).toBe(false);
    expect(rtc.read(0x00c)).toBe(1); // RTCCR: running
    expect([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map((o) => rtc.read(o))).toEqual([
      0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
    ]);
  });
});
