// `cpms tariff price --tariff <file> --cdr <file>`: prices an OCPI CDR with an OCPI Tariff using the
// same engine as the admin endpoint; needs no database.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInput } from '../shared/errors.ts';
import { priceCdr } from '../tariffs/price-cdr.ts';

/** Parsed JSON of a file named by a CLI option; InvalidInput (exit code 2) naming the option otherwise. */
export function readJsonFile(path: string, option: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidInput(`${option}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidInput(`${option}: ${path} is not valid JSON (${(err as Error).message})`);
  }
}

/** Adds `tariff price` to the `cpms` command tree. */
export function addTariffCommands(program: Command, out: (line: string) => void): void {
  const tariff = program.command('tariff').description('tariffs');
  tariff
    .command('price')
    .description('price an OCPI 2.2.1 CDR with an OCPI 2.2.1 Tariff and print the priced CDR as JSON')
    .requiredOption('--tariff <file>', 'OCPI Tariff JSON file')
    .requiredOption('--cdr <file>', 'OCPI CDR JSON file (charging_periods, start/end_date_time, cdr_location.time_zone)')
    .option('--time-zone <zone>', "IANA time zone of the Location (overrides cdr_location.time_zone)")
    .action((o: { tariff: string; cdr: string; timeZone?: string }) => {
      const tariffJson = readJsonFile(o.tariff, '--tariff');
      const cdrJson = readJsonFile(o.cdr, '--cdr');
      out(JSON.stringify(priceCdr(tariffJson, cdrJson, o.timeZone ? { timeZone: o.timeZone } : {}), null, 2));
    });
}
