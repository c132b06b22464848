// What fresh memory costs on this machine: allocates N MB (default 1, 4, 16), touches one byte a page, and
// prints the time and the page faults it took. docs/benchmarks.md (session 8) explains why it matters: a
// cold build's own share is largely pages touched for the first time.
//
//   node scripts/page-cost.mjs [MB ...]
const PAGE = 4096;
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 4, 16];
for (const mb of sizes) {
  const faultsBefore = process.resourceUsage().minorPageFault;
  const start = process.hrtime.bigint();
  const bytes = Buffer.allocUnsafeSlow(mb * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += PAGE) bytes[i] = 1;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const faults = process.resourceUsage().minorPageFault - faultsBefore;
  const pages = bytes.length / PAGE;
  console.log(
    `${mb} MB: ${ms.toFixed(1)} ms, ${faults} page faults, ${((ms * 1000) / pages).toFixed(1)} µs a page, ${(ms / mb).toFixed(2)} ms a MB`,
  );
}
