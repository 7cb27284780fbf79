import { hostileBattery } from '../support/hostile-battery.js';

// The full battery: the 100k-item feed and 10k-level nesting, next to the good sources.
hostileBattery({ hugeItems: 100_000, nestingDepth: 10_000 });
