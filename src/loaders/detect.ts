/**
 * loadFile(): what a scan calls for every file. Detects by content (not by extension) whether
 * a file is a policy document, a CloudFormation/SAM template, CDK output, or something else
 * (Serverless Framework, Kubernetes, package.json, tsconfig, any other YAML/JSON), and never
 * throws for a bad file: the typed error is in the result.
 */
import { JestConnectIamError, PolicySourceError } from '../errors';
import { accountFromParsed, isAccountDumpValue } from './account/load';
import { asSourceError, parseText, type Parsed } from './parse';
import { isPolicyValue, policyPrincipal } from './policy-file';
import { decodeText, hasOwn, isPlainObject, limitsOf, own, readSourceFile } from './source';
import { buildTemplate, isTemplateValue } from './cloudformation/template';
import type { LoadKind, LoadResult, TemplateOptions } from './types';
import { loadTerraformDirectory, loadTerraformPlanFile, planHeadOf } from './terraform/detect';
import { looksLikePlanHead } from './terraform/stream';
import * as fs from 'node:fs';

/** How much of a file `planHeadOf` reads to tell a Terraform plan (its `readHead` default). */
const PLAN_HEAD_BYTES = 65536;

/** Why a parsed value is not CloudFormation (or undefined when it is a template or policy). */
export function notTemplateReason(parsed: Parsed): string | undefined {
  const v = parsed.value;
  if (parsed.multiDocument) return 'several YAML documents in one file (Kubernetes manifests or similar)';
  if (isTemplateValue(v) || isPolicyValue(v) || isAccountDumpValue(v)) return undefined;
  if (v === null || v === undefined) return 'empty file';
  if (!isPlainObject(v)) return `a ${Array.isArray(v) ? 'list' : typeof v}, not a CloudFormation template or policy document`;
  if (hasOwn(v, 'service') && (hasOwn(v, 'provider') || hasOwn(v, 'functions'))) return 'a Serverless Framework file';
  if (hasOwn(v, 'apiVersion') && hasOwn(v, 'kind')) return 'a Kubernetes manifest';
  if (hasOwn(v, 'compilerOptions')) return 'a tsconfig file';
  if (hasOwn(v, 'name') && (hasOwn(v, 'dependencies') || hasOwn(v, 'devDependencies') || hasOwn(v, 'scripts') || hasOwn(v, 'version'))) return 'a package.json file';
  if (hasOwn(v, 'Resources')) return 'has Resources, but not every resource has a Type';
  return 'neither a CloudFormation template nor a policy document';
}

/**
 * An invalid file that is clearly meant as IAM: a template in which some resource has an
 * `AWS::`/`Custom::` Type but another has none (a typo such as `Typ:`), or a document with a
 * policy `Version` but no `Statement` (`Statment`). Loading it gives the precise error; calling
 * it "not a template" would let a scan leave its principals unchecked.
 */
function meantAsIam(v: unknown): LoadKind | undefined {
  if (!isPlainObject(v)) return undefined;
  const resources = own(v, 'Resources');
  if (isPlainObject(resources) && Object.keys(resources).some((id) => /^(AWS|Custom|Alexa)::/.test(String(own(own(resources, id), 'Type'))))) return 'template';
  if (['UserDetailList', 'GroupDetailList', 'RoleDetailList'].some((k) => hasOwn(v, k))) return 'account';
  const version = own(v, 'Version');
  if ((version === '2012-10-17' || version === '2008-10-17') && !hasOwn(v, 'Statement') && !hasOwn(v, 'Resources')) return 'policy';
  return undefined;
}

function isCdk(v: unknown): boolean {
  // The bootstrap version check every CDK-synthesised stack carries (kept in integ snapshots).
  if (hasOwn(own(v, 'Parameters'), 'BootstrapVersion') && hasOwn(own(v, 'Rules'), 'CheckBootstrapVersion')) return true;
  const resources = own(v, 'Resources');
  if (!isPlainObject(resources)) return false;
  for (const id of Object.keys(resources)) {
    const r = own(resources, id);
    if (own(r, 'Type') === 'AWS::CDK::Metadata') return true;
    if (typeof own(own(r, 'Metadata'), 'aws:cdk:path') === 'string') return true;
  }
  return false;
}

/**
 * What an unreadable file was meant to be, from its text: CloudFormation markers -> 'template',
 * a Statement -> 'policy', otherwise 'not-a-template' (a Helm chart, some other tool's YAML).
 * The error is reported in every case.
 */
function guessKind(text: string | undefined): LoadKind {
  if (text === undefined) return 'not-a-template';
  if (/AWSTemplateFormatVersion|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/.test(text)) return 'template';
  if (/["']?(RoleDetailList|UserDetailList|GroupDetailList)["']?\s*:/.test(text)) return 'account';
  if (/["']?Statement["']?\s*:/.test(text)) return 'policy';
  return 'not-a-template';
}

function asPolicySourceError(e: unknown, file: string): PolicySourceError {
  const err = asSourceError(e, file);
  if (err instanceof PolicySourceError) return err;
  return new PolicySourceError(err.message, { file });
}

export function loadFile(path: string, options: TemplateOptions = {}): LoadResult {
  const limits = limitsOf(options);
  // Terraform: a root directory (one unit: its .tf files and the plan beside them), or a plan JSON of any size.
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(path);
  } catch {
    // readSourceFile below reports it.
  }
  if (stat?.isDirectory()) return loadTerraformDirectory(path, options);
  // A regular file within the size limit is read once: its first bytes tell a plan (read by the
  // plan loader) from anything else, whose text is then parsed. Otherwise (a root to stay in, a
  // file too large, a read that fails) the general path below words the error.
  let bytes: Buffer | undefined;
  if (stat?.isFile() && stat.size <= limits.maxFileBytes && options.root === undefined) {
    try {
      bytes = fs.readFileSync(path);
    } catch {
      bytes = undefined;
    }
    if (bytes && bytes.length > limits.maxFileBytes) bytes = undefined;
  }
  if (bytes ? looksLikePlanHead(bytes.subarray(0, PLAN_HEAD_BYTES).toString('utf8')) : planHeadOf(path)) return loadTerraformPlanFile(path, options);
  let parsed: Parsed;
  let text: string | undefined;
  try {
    text = bytes ? decodeText(bytes, path) : readSourceFile(path, limits, options.root);
    bytes = undefined;
    parsed = parseText(text, path, limits);
  } catch (e) {
    return { file: path, kind: guessKind(text), principals: [], error: asPolicySourceError(e, path) };
  }
  const reason = notTemplateReason(parsed);
  const meant = reason ? meantAsIam(parsed.value) : undefined;
  if (reason && !meant) return { file: path, kind: 'not-a-template', principals: [], reason };
  const kind: LoadKind = meant ?? (isAccountDumpValue(parsed.value) ? 'account' : isTemplateValue(parsed.value) ? (isCdk(parsed.value) ? 'cdk' : 'template') : 'policy');
  try {
    if (kind === 'account') {
      const account = accountFromParsed(parsed, path, limits);
      return { file: path, kind, principals: account.principals, account };
    }
    if (kind === 'policy') return { file: path, kind, principals: [policyPrincipal(parsed, path, limits)] };
    const template = buildTemplate(parsed, path, options);
    return { file: path, kind, principals: template.principals, template };
  } catch (e) {
    if (e instanceof JestConnectIamError || e instanceof Error) return { file: path, kind, principals: [], error: asPolicySourceError(e, path) };
    return { file: path, kind, principals: [], error: new PolicySourceError(String(e), { file: path }) };
  }
}
