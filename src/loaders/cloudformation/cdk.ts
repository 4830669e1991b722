/**
 * CDK: cdk.out cloud assemblies (manifest.json, stage assemblies, nested stacks) and in-memory
 * stacks (aws-cdk-lib is an optional peer dependency, loaded only when fromCdkStack is called).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { PolicySourceError, UnknownNameError, UsageError } from '../../errors';
import type { Principal } from '../../policy/types';
import { closestNames } from '../../util/suggest';
import { parseFile } from '../parse';
import { isPlainObject, limitsOf, own } from '../source';
import { buildTemplate, isTemplateValue, loadTemplate } from './template';
import type { LoadedTemplate, TemplateOptions } from '../types';

export interface LoadedCdkStack extends LoadedTemplate {
  /** The artifact id in manifest.json (or the file name for nested stacks). */
  readonly stackName: string;
  /** True for a `*.nested.template.json` file. */
  readonly nested: boolean;
}

export interface LoadedCdkOut {
  readonly dir: string;
  readonly stacks: readonly LoadedCdkStack[];
  /** Every principal of every stack. */
  readonly principals: readonly Principal[];
  /** `Stack/LogicalId`, a CDK construct path, a physical name, or a logical id that only one stack has. */
  principal(name: string): Principal;
  readonly warnings: readonly string[];
}

const MAX_ASSEMBLY_DEPTH = 10;

export function loadCdkOut(dir: string, options: TemplateOptions = {}): LoadedCdkOut {
  const limits = limitsOf(options);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new PolicySourceError('cdk.out directory not found', { file: dir });
  }
  if (!st.isDirectory()) throw new PolicySourceError('not a directory (loadCdkOut takes the cdk.out directory)', { file: dir });
  const stacks: LoadedCdkStack[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const addTemplate = (file: string, stackName: string, nested: boolean): void => {
    const real = fs.realpathSync(file);
    if (seen.has(real)) return;
    seen.add(real);
    const t = loadTemplate(file, { ...options, root: options.root ?? dir });
    stacks.push({ ...t, principal: t.principal, stackName, nested });
  };
  const visit = (d: string, depth: number): void => {
    if (depth > MAX_ASSEMBLY_DEPTH) throw new PolicySourceError(`cloud assemblies nested deeper than ${MAX_ASSEMBLY_DEPTH} levels`, { file: d });
    const manifestFile = nodePath.join(d, 'manifest.json');
    if (fs.existsSync(manifestFile)) {
      const manifest = parseFile(manifestFile, limits).value;
      const artifacts = own(manifest, 'artifacts');
      if (isPlainObject(artifacts)) {
        for (const id of Object.keys(artifacts)) {
          const a = own(artifacts, id);
          const type = own(a, 'type');
          const props = own(a, 'properties');
          if (type === 'aws:cloudformation:stack') {
            const tf = own(props, 'templateFile');
            if (typeof tf !== 'string') continue;
            const file = inside(d, tf);
            addTemplate(file, id, false);
          } else if (type === 'cdk:cloud-assembly') {
            const sub = own(props, 'directoryName');
            if (typeof sub === 'string') visit(inside(d, sub), depth + 1);
          }
        }
      }
    } else {
      warnings.push(`${d} has no manifest.json: reading every *.template.json in it`);
      for (const f of fs.readdirSync(d).sort()) {
        if (f.endsWith('.template.json') && !f.endsWith('.nested.template.json')) addTemplate(nodePath.join(d, f), f.replace(/\.template\.json$/, ''), false);
      }
    }
    for (const f of fs.readdirSync(d).sort()) {
      if (f.endsWith('.nested.template.json')) addTemplate(nodePath.join(d, f), f.replace(/\.nested\.template\.json$/, ''), true);
    }
  };
  visit(dir, 0);
  const principals = stacks.flatMap((s) => s.principals);
  const keys = new Map<string, Principal>();
  const ambiguous = new Set<string>();
  for (const s of stacks) {
    for (const p of s.principals) {
      for (const k of [`${s.stackName}/${p.id}`, ...(p.name ? [p.name] : []), p.id]) {
        if (keys.has(k) && keys.get(k) !== p) ambiguous.add(k);
        else keys.set(k, p);
      }
    }
  }
  return {
    dir,
    stacks,
    principals,
    warnings,
    principal(name: string): Principal {
      if (ambiguous.has(name)) {
        throw new UnknownNameError('principal', name, [...keys.keys()].filter((k) => k.endsWith(`/${name}`)), `'${name}' is in several stacks: name the stack.`);
      }
      const p = keys.get(name);
      if (p) return p;
      for (const s of stacks) {
        try {
          return s.principal(name); // CDK construct paths and SAM function ids
        } catch {
          // try the next stack
        }
      }
      throw new UnknownNameError('principal', name, closestNames(name, keys.keys()), `(${dir})`);
    },
  };
}

function inside(dir: string, rel: string): string {
  const full = nodePath.resolve(dir, rel);
  const root = nodePath.resolve(dir);
  if (full !== root && !full.startsWith(root + nodePath.sep)) throw new PolicySourceError(`manifest.json points outside the cloud assembly: ${rel}`, { file: nodePath.join(dir, 'manifest.json') });
  return full;
}

interface CdkConstruct {
  readonly node: { readonly path: string; findAll(): CdkConstruct[] };
}
interface CdkLib {
  Stack: { isStack(x: unknown): boolean };
  CfnResource: { isCfnResource(x: unknown): boolean };
  Stage: { of(x: unknown): { synth(): { getStackArtifact(id: string): { templateFullPath: string } } } | undefined };
}

/**
 * The principals of an in-memory CDK stack (synthesises its app; needs aws-cdk-lib installed).
 */
export function fromCdkStack(stack: unknown, options: TemplateOptions = {}): LoadedTemplate {
  let cdk: CdkLib;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cdk = require('aws-cdk-lib') as CdkLib;
  } catch {
    throw new UsageError('fromCdkStack() needs aws-cdk-lib (an optional peer dependency): npm i -D aws-cdk-lib constructs');
  }
  if (!cdk.Stack.isStack(stack)) throw new UsageError('fromCdkStack() takes a CDK Stack (new Stack(app, ...)); received something else');
  const stage = cdk.Stage.of(stack);
  if (!stage) throw new UsageError('fromCdkStack(): the stack is not inside a CDK App or Stage');
  const artifactId = (stack as { artifactId: string }).artifactId;
  const file = stage.synth().getStackArtifact(artifactId).templateFullPath;
  const parsed = parseFile(file, limitsOf(options));
  if (!isTemplateValue(parsed.value)) throw new PolicySourceError('the synthesised stack is not a CloudFormation template', { file });
  const t = buildTemplate(parsed, file, options);
  // Construct paths find principals even when the app does not write aws:cdk:path metadata.
  const byPath = new Map<string, string>();
  const s = stack as CdkConstruct & { resolve(x: unknown): unknown; stackName: string };
  for (const c of s.node.findAll()) {
    if (!cdk.CfnResource.isCfnResource(c)) continue;
    const id = s.resolve((c as unknown as { logicalId: unknown }).logicalId);
    if (typeof id !== 'string') continue;
    byPath.set(c.node.path, id);
    if (c.node.path.endsWith('/Resource')) byPath.set(c.node.path.slice(0, -'/Resource'.length), id);
  }
  return {
    ...t,
    principal(name: string): Principal {
      const id = byPath.get(name);
      if (id !== undefined && t.principals.some((p) => p.id === id)) return t.principal(id);
      try {
        return t.principal(name);
      } catch (e) {
        if (e instanceof UnknownNameError) {
          const candidates = [...t.principals.map((p) => p.id), ...[...byPath].filter(([, v]) => t.principals.some((p) => p.id === v)).map(([k]) => k)];
          throw new UnknownNameError('principal', name, closestNames(name, candidates), `(stack ${s.stackName})`);
        }
        throw e;
      }
    },
  };
}
