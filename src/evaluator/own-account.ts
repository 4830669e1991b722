/**
 * The same-account model for principals from templates.
 *
 * `${AWS::AccountId}` in a template is the account the stack, and so the principal, lives
 * in, and the console acts on that account's resources. For such a principal (one with
 * `ownAccount`):
 *
 * - the default asked resource `*` of an action with resource types is "any ARN of those
 *   types in the principal's own account": the account segment of each format is that
 *   account (the given `pseudo.AccountId`, or the symbolic own account when it is unknown);
 * - an unresolved `${AWS::AccountId}` that is the whole account segment of a statement ARN is
 *   that same symbolic account, so `arn:${AWS::Partition}:connect:*:${AWS::AccountId}:instance/*`
 *   covers the console's instances with certainty;
 * - a literal account ID compared with the symbolic own account is unknown (it may or may not
 *   be the stack's account): the part is `maybe`, depending on `AWS::AccountId`, until
 *   `pseudo.AccountId` is given;
 * - a region that is unknown stays unknown, and a resource given explicitly is taken as given
 *   (its account is what it says).
 *
 * The symbolic account is represented by a sentinel run of private-use characters that no
 * ARN contains, compared with the ordinary resource relations (src/evaluator/arn.ts), plus
 * one rule here: where the sentinel meets a literal or narrower account, "disjoint" is only
 * "unknown" unless it stays disjoint with the symbolic account read as `*` (any account).
 * A statement in the own account against an explicit resource pattern over any account
 * covers part of it ('overlaps', a narrower resource), as for any narrower statement.
 */
import { getAction, resourceArnPatterns } from '../iam';
import { resourcePattern, resourceRelation, resourceTypePattern, type ResourcePattern } from './arn';
import { DEFAULT_PARTITION, type AskedResource } from './request';
import type { Part, Template } from './variables';
import { STAR, type Coverage } from './wildcard';

/** The description of the loader's hole for `${AWS::AccountId}` / `!Ref AWS::AccountId`. */
export const OWN_ACCOUNT_HOLE = 'AWS::AccountId';

const SENTINEL_CODE = 0xe0a0;
/** Twelve characters, like an account ID, so `????????????` patterns read it as one. */
export const OWN_ACCOUNT_SENTINEL = String.fromCharCode(SENTINEL_CODE).repeat(12);

/** The relation, or 'unknown' when it depends on which account the symbolic one is. */
export type OwnRelation = Coverage | 'unknown';

function hasSentinel(codes: readonly number[]): boolean {
  return codes.includes(SENTINEL_CODE);
}

/** The pattern with the symbolic account read as `*` (any account). */
function accountAsStar(p: ResourcePattern): ResourcePattern {
  const out: number[] = [];
  let inRun = false;
  for (const c of p.whole.codes) {
    if (c === SENTINEL_CODE) {
      if (!inRun) out.push(STAR);
      inRun = true;
    } else {
      inRun = false;
      out.push(c);
    }
  }
  return resourcePattern(out);
}

/**
 * How the statement pattern relates to the asked set when either holds the symbolic own
 * account (otherwise exactly resourceRelation). Sound: 'covers' and 'disjoint' only when
 * they hold for every account the symbolic one may be.
 */
export function ownAccountRelation(pattern: ResourcePattern, asked: ResourcePattern): OwnRelation {
  const r = resourceRelation(pattern, asked);
  const inPattern = hasSentinel(pattern.whole.codes);
  const inAsked = hasSentinel(asked.whole.codes);
  // Neither or both sides hold the symbolic account (the same one): exact.
  if (inPattern === inAsked || r !== 'disjoint') return r;
  // "Disjoint" because the symbolic account differs from the other side's literal or narrow
  // account pattern: it may be that account. Disjoint for certain only when it is disjoint
  // with the symbolic account read as any account.
  const loose = inPattern ? resourceRelation(accountAsStar(pattern), asked) : resourceRelation(pattern, accountAsStar(asked));
  return loose === 'disjoint' ? 'disjoint' : 'unknown';
}

/** True when the text before a hole ends the fourth colon of an ARN: the hole is the account segment. */
function atAccountSegment(before: string, after: string | undefined): boolean {
  if (!before.startsWith('arn:')) return false;
  let colons = 0;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 58) colons++;
  return colons === 4 && before.endsWith(':') && (after === undefined || after.startsWith(':'));
}

const templateCache = new WeakMap<Template, Template | null>();

/**
 * The statement pattern with every `${AWS::AccountId}` hole that is a whole account segment
 * replaced by the symbolic account; undefined when it has none (then nothing changes).
 */
export function ownAccountTemplate(template: Template): Template | undefined {
  const cached = templateCache.get(template);
  if (cached !== undefined) return cached ?? undefined;
  let changed = false;
  let before = '';
  const parts: Part[] = template.parts.map((part, i) => {
    if (part.kind === 'hole' && part.description === OWN_ACCOUNT_HOLE) {
      const next = template.parts[i + 1];
      const after = next === undefined ? undefined : next.kind === 'text' ? next.text : next.kind === 'char' ? next.char : '?';
      if (atAccountSegment(before, after)) {
        changed = true;
        before += OWN_ACCOUNT_SENTINEL;
        return { kind: 'char', char: OWN_ACCOUNT_SENTINEL };
      }
    }
    before += part.kind === 'text' ? part.text : part.kind === 'char' ? part.char : '\u0000';
    return part;
  });
  const out = changed ? { ...template, parts, fixed: parts.every((p) => p.kind === 'text' || p.kind === 'char') } : undefined;
  templateCache.set(template, out ?? null);
  return out;
}

const askedCache = new Map<string, AskedResource>();

/**
 * The asked resource for a principal with an own account: the default `*` of an action with
 * resource types becomes those types in the own account. Anything else is returned as is.
 */
export function ownAccountAsked(asked: AskedResource, ownAccount: { readonly id?: string } | undefined, action: string): AskedResource {
  if (!ownAccount || asked.kind !== 'types') return asked;
  const account = ownAccount.id ?? OWN_ACCOUNT_SENTINEL;
  const key = `own:${account}:${asked.key}`;
  let out = askedCache.get(key);
  if (!out) {
    const known = getAction(action);
    if (!known) return asked;
    if (askedCache.size >= 4096) askedCache.clear();
    // The same formats as the default (src/evaluator/request.ts), with `${Account}` set; a
    // format without an account segment (S3 buckets) is unchanged.
    const sets = resourceArnPatterns(known).map((p) => resourceTypePattern(p.arnFormat.replace(/\$\{Account\}/g, account), DEFAULT_PARTITION));
    out = { kind: 'types', key, text: asked.text, sets };
    askedCache.set(key, out);
  }
  return out;
}
