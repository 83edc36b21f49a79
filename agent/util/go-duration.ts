// agent/util/go-duration.ts — ms → Go's time.Duration.String() (`10s`, `1m20s`, `5m0s`), the form the
// kubelet's messages use. One implementation lives in duration.ts; this name is kept for its callers.
export { formatDuration as formatGoDuration } from './duration.js';
