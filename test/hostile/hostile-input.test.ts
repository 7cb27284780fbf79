import { hostileBattery } from '../support/hostile-battery.js';

// The 100k-item feed runs in `npm run test:stress` (test/stress/hostile-huge.stress.ts); this one stays fast.
hostileBattery({ hugeItems: 3_000, nestingDepth: 10_000 });
