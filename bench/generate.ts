/**
 * `npm run bench:generate [-- --seed N --invoices N --receipts N]`: renders the generated
 * development set (bench/generator/) into .cache/bench-generated/, unless it is already there.
 */
import { ensureGeneratedSet } from './generator/set.ts';

const args = process.argv.slice(2);
const num = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};

const t0 = performance.now();
const { dir, manifest } = await ensureGeneratedSet({
  seed: num('seed'),
  invoices: num('invoices'),
  receipts: num('receipts'),
  log: (m) => console.error(m),
});
const count = (kind: string, split?: string): number =>
  manifest.docs.filter((d) => d.kind === kind && (!split || d.split === split)).length;
console.log(
  `${dir}\n${count('invoice')} invoices (${count('invoice', 'tune')} tune / ${count('invoice', 'holdout')} holdout), ${count('receipt')} receipts (${count('receipt', 'tune')} tune / ${count('receipt', 'holdout')} holdout); generation took ${manifest.seconds} s, this call ${Math.round((performance.now() - t0) / 1000)} s`,
);
