/**
 * A small, strict command-line parser: every option is declared; an unknown option, a
 * missing value or a value outside the allowed set is a CliUsageError naming the closest
 * valid ones (exit 2).
 */
import { UsageError } from '../errors';
import { givenResources, serviceOfArn, type ResourceOption } from '../evaluator/resources';
import { closestNames } from '../util/suggest';

export interface OptionSpec {
  readonly name: string;
  /** One-letter alias, e.g. 'o' for --output. */
  readonly alias?: string;
  /** false for flags. */
  readonly value: boolean;
  readonly repeatable?: boolean;
  /** Allowed values (e.g. formats). */
  readonly choices?: readonly string[];
  readonly placeholder?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments in order, e.g. ['file', 'principal', 'action|Page / Task']. */
  readonly positionals: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Extra help text (exit codes, examples). */
  readonly details?: string;
}

export class CliUsageError extends UsageError {
  override name = 'CliUsageError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

const HELP: OptionSpec = { name: 'help', alias: 'h', value: false, help: 'show this help' };

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = [...spec.options, HELP];
  const options: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const long = arg.startsWith('--');
      const [rawName, inline] = long ? splitOnce(arg.slice(2), '=') : [arg.slice(1), undefined];
      const opt = all.find((o) => (long ? o.name === rawName : o.alias === rawName));
      if (!opt) {
        const near = closestNames(rawName, all.map((o) => o.name));
        throw new CliUsageError(
          `unknown option '${arg}' for '${spec.name}'` + (near.length ? `: did you mean ${near.map((n) => `--${n}`).join(', ')}?` : '') +
            ` (see: jest-connect-iam ${spec.name} --help)`,
          spec.name,
        );
      }
      if (opt === HELP) {
        help = true;
        continue;
      }
      if (!opt.value) {
        if (inline !== undefined) throw new CliUsageError(`option --${opt.name} takes no value`, spec.name);
        options[opt.name] = true;
        continue;
      }
      let value = inline;
      if (value === undefined) {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith('--') && value.length > 2)) {
          throw new CliUsageError(`option --${opt.name} needs a value (${opt.placeholder ?? 'value'})`, spec.name);
        }
        i++;
      }
      if (opt.choices && !opt.choices.includes(value)) {
        const near = closestNames(value, opt.choices);
        throw new CliUsageError(
          `unknown ${opt.name} '${value}'` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') +
            ` (one of: ${opt.choices.join(', ')})`,
          spec.name,
        );
      }
      if (opt.repeatable) {
        const list = (options[opt.name] as string[] | undefined) ?? [];
        list.push(value);
        options[opt.name] = list;
      } else {
        if (options[opt.name] !== undefined) throw new CliUsageError(`option --${opt.name} given twice`, spec.name);
        options[opt.name] = value;
      }
      continue;
    }
    positionals.push(arg);
  }
  if (!help && positionals.length !== spec.positionals.length) {
    const want = spec.positionals.length ? spec.positionals.map((p) => `<${p}>`).join(' ') : 'no arguments';
    throw new CliUsageError(
      `'${spec.name}' takes ${want}, got ${positionals.length ? positionals.map((p) => `'${p}'`).join(' ') : 'none'} (see: jest-connect-iam ${spec.name} --help)`,
      spec.name,
    );
  }
  return { options, positionals, help };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export function renderHelp(spec: CommandSpec): string {
  const usage = `Usage: jest-connect-iam ${spec.name}${spec.positionals.map((p) => ` <${p}>`).join('')}${spec.options.length ? ' [options]' : ''}`;
  const rows = [...spec.options, HELP].map((o) => {
    const flag = `${o.alias ? `-${o.alias}, ` : '    '}--${o.name}${o.value ? ` <${o.placeholder ?? 'value'}>` : ''}`;
    const extra = o.choices ? ` (${o.choices.join('|')})` : '';
    return `  ${flag.padEnd(30)} ${o.help}${extra}${o.repeatable ? ' (repeatable)' : ''}`;
  });
  return `${usage}\n\n${spec.summary}\n\nOptions:\n${rows.join('\n')}\n${spec.details ? `\n${spec.details.trim()}\n` : ''}`;
}

/** --param, --pseudo and --condition: values a template takes at deploy time (check, matrix, explain). */
export const INPUT_OPTIONS: readonly OptionSpec[] = [
  { name: 'param', value: true, repeatable: true, placeholder: 'Name=Value', help: 'a template parameter value, e.g. Stage=prod (lists comma-separated)' },
  { name: 'pseudo', value: true, repeatable: true, placeholder: 'Name=Value', help: 'a pseudo parameter: AccountId=123456789012, Region=eu-west-2, Partition=aws, StackName=...' },
  { name: 'condition', value: true, repeatable: true, placeholder: 'Name=true|false', help: 'a value for a template condition the template cannot decide, e.g. IsProd=true' },
];

export const PSEUDO_NAMES = ['AccountId', 'Region', 'Partition', 'StackName'] as const;

/** The template inputs given with --param, --pseudo and --condition (undefined when none). */
export function parseInputs(
  options: ParsedArgs['options'],
  command: string,
): { parameters?: Record<string, string>; pseudo?: Partial<Record<(typeof PSEUDO_NAMES)[number], string>>; conditions?: Record<string, boolean> } | undefined {
  const pairs = (name: string): Array<[string, string]> =>
    ((options[name] as readonly string[] | undefined) ?? []).map((v) => {
      const i = v.indexOf('=');
      if (i <= 0) throw new CliUsageError(`--${name} needs Name=Value, got '${v}'`, command);
      return [v.slice(0, i), v.slice(i + 1)];
    });
  const out: { parameters?: Record<string, string>; pseudo?: Partial<Record<(typeof PSEUDO_NAMES)[number], string>>; conditions?: Record<string, boolean> } = {};
  for (const [k, v] of pairs('param')) (out.parameters ??= {})[k] = v;
  for (const [k, v] of pairs('pseudo')) {
    const name = PSEUDO_NAMES.find((n) => n === k || `AWS::${n}` === k);
    if (!name) {
      const near = closestNames(k.replace(/^AWS::/, ''), PSEUDO_NAMES);
      throw new CliUsageError(`unknown pseudo parameter '${k}'` + (near.length ? `: did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : '') + ` (one of: ${PSEUDO_NAMES.join(', ')})`, command);
    }
    if (name === 'AccountId' && !/^\d{12}$/.test(v)) throw new CliUsageError(`--pseudo AccountId needs a 12-digit account ID, got '${v}'`, command);
    (out.pseudo ??= {})[name] = v;
  }
  for (const [k, v] of pairs('condition')) {
    if (v !== 'true' && v !== 'false') throw new CliUsageError(`--condition ${k} needs true or false, got '${v}'`, command);
    (out.conditions ??= {})[k] = v === 'true';
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * `--resource` values (repeatable): plain ARNs (`--resource arn:aws:s3:::b`) or ARNs for one
 * service (`--resource s3=arn:aws:s3:::b`). Plain ones only: a list; any `service=` one: a map
 * by service, plain ARNs filed under their own service. Undefined when none was given.
 */
export function parseResourceOption(values: readonly string[] | string | undefined, command: string): ResourceOption | undefined {
  if (values === undefined) return undefined;
  const list = typeof values === 'string' ? [values] : values;
  if (list.length === 0) return undefined;
  const keyed = list.map((v) => {
    const m = /^([A-Za-z0-9-]+)=(.*)$/s.exec(v);
    return m && !v.startsWith('arn:') ? { service: m[1]!.toLowerCase(), resource: m[2]! } : { resource: v };
  });
  for (const k of keyed) {
    if (k.resource.trim() === '') throw new CliUsageError(`--resource needs an ARN${k.service ? ` after '${k.service}='` : ''}, got '${list.join("' '")}'`, command);
  }
  let option: ResourceOption;
  if (keyed.every((k) => k.service === undefined)) option = keyed.length === 1 ? keyed[0]!.resource : keyed.map((k) => k.resource);
  else {
    const map: Record<string, string[]> = {};
    for (const k of keyed) {
      const service = k.service ?? serviceOfArn(k.resource);
      if (!service) {
        throw new CliUsageError(`--resource '${k.resource}' names no service; with service=ARN values, give it as service=${k.resource}`, command);
      }
      (map[service] ??= []).push(k.resource);
    }
    option = map;
  }
  try {
    givenResources(option, '--resource');
  } catch (err) {
    if (err instanceof UsageError) throw new CliUsageError(err.message, command);
    throw err;
  }
  return option;
}
