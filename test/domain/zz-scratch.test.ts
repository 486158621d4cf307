import { it } from 'vitest';
import { IANAZone } from 'luxon';
it('x', () => {
  const zones = Intl.supportedValuesOf('timeZone');
  const DAY = 86400000, Q = 900000;
  const found: string[] = [];
  for (const name of zones) {
    const z = IANAZone.create(name);
    let t = Date.UTC(1969, 0, 1), o = z.offset(t);
    const end = Date.UTC(2040, 0, 1);
    while (t < end) {
      const t2 = t + DAY; const o2 = z.offset(t2);
      if (o2 !== o) {
        let lo = t, hi = t2;
        while (hi - lo > 1000) { const m = Math.floor((lo + hi) / 2000) * 1000; if (z.offset(m) === o) lo = m; else hi = m; }
        if (hi % Q !== 0) found.push(`${name} ${new Date(hi).toISOString()} ${o} -> ${o2}`);
      }
      t = t2; o = o2;
    }
  }
  console.log(found.length); console.log(found.filter(f => f.split(" ")[1]! >= "1970").join('\n'));
}, 600000);
