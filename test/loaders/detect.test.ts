/** loadFile(): detection by content, never a throw for a bad file, symlinks. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicySourceError } from '../../src/errors';
import { loadFile, loadTemplate } from '../../src/loaders';
import { fixture, tempFile } from './helpers';

describe('loadFile', () => {
  test.each([
    ['other/serverless.yml', 'a Serverless Framework file'],
    ['other/deployment.yaml', 'several YAML documents in one file (Kubernetes manifests or similar)'],
    ['other/configmap.yaml', 'a Kubernetes manifest'],
    ['other/package.json', 'a package.json file'],
    ['other/tsconfig.json', 'a tsconfig file'],
    ['other/random.yaml', 'neither a CloudFormation template nor a policy document'],
    ['other/github-workflow.yml', 'neither a CloudFormation template nor a policy document'],
    ['other/empty.yaml', 'empty file'],
  ])('%s is not a template: %s', (file, reason) => {
    const r = loadFile(fixture(...file.split('/')));
    expect(r).toEqual({ file: fixture(...file.split('/')), kind: 'not-a-template', principals: [], reason });
  });

  test('templates and policies are recognised by content, whatever the extension', () => {
    expect(loadFile(fixture('other', 'yaml-in.json'))).toMatchObject({ kind: 'template', principals: [{ id: 'YamlRole' }] });
    expect(loadFile(fixture('other', 'json-in.yaml'))).toMatchObject({ kind: 'template', principals: [{ id: 'JsonRole' }] });
    expect(loadFile(fixture('templates', 'long-forms.template'))).toMatchObject({ kind: 'template' });
    expect(loadFile(fixture('policies', 'connect-admin.yaml'))).toMatchObject({ kind: 'policy', principals: [{ kind: 'policy-file' }] });
    expect(loadFile(fixture('cdk.out', 'ConnectStack.template.json'))).toMatchObject({ kind: 'cdk' });
    const r = loadFile(fixture('templates', 'sam.yaml'));
    expect(r.kind).toBe('template');
    expect(r.template!.principal('Templates')).toBe(r.principals[0]);
  });

  test('a bad file is a result with the typed error, never a throw', () => {
    for (const f of ['trailing-comma.json', 'lowercase-allow.yaml', 'typo-property.yaml', 'alias-bomb.yaml', 'bad-indent.yaml', 'unknown-tag.yaml']) {
      const r = loadFile(fixture('errors', f));
      expect(r.error).toBeInstanceOf(PolicySourceError);
      expect(r.error!.file).toBe(fixture('errors', f));
      expect(r.principals).toEqual([]);
    }
    // What an unreadable file was meant to be comes from its text; the error is there either way.
    expect(loadFile(fixture('errors', 'trailing-comma.json')).kind).toBe('policy');
    expect(loadFile(fixture('errors', 'bad-indent.yaml')).kind).toBe('template');
    const helm = loadFile(tempFile('deployment.yaml', 'metadata:\n  name: {{ .Values.name }\n  labels: [\n'));
    expect(helm.kind).toBe('not-a-template');
    expect(helm.error).toBeInstanceOf(PolicySourceError);
    expect(loadFile(fixture('does-not-exist.yaml')).error!.problem).toMatch(/ENOENT/);
    expect(loadFile(fixture('other')).error!.problem).toMatch(/directory/);
  });

  describe('symbolic links', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jci-links-'));
      fs.mkdirSync(path.join(dir, 'repo'));
      fs.copyFileSync(fixture('templates', 'sam.yaml'), path.join(dir, 'outside.yaml'));
      fs.copyFileSync(fixture('templates', 'sam.yaml'), path.join(dir, 'repo', 'inside.yaml'));
      fs.symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'repo', 'escape.yaml'));
      fs.symlinkSync(path.join(dir, 'repo', 'inside.yaml'), path.join(dir, 'repo', 'alias.yaml'));
      fs.symlinkSync(path.join(dir, 'repo', 'loop-b.yaml'), path.join(dir, 'repo', 'loop-a.yaml'));
      fs.symlinkSync(path.join(dir, 'repo', 'loop-a.yaml'), path.join(dir, 'repo', 'loop-b.yaml'));
    });

    test('with a root, a link out of it is refused; a link inside is read', () => {
      const root = path.join(dir, 'repo');
      expect(loadFile(path.join(root, 'escape.yaml'), { root }).error!.problem).toMatch(/outside .*: not read/);
      expect(() => loadTemplate(path.join(root, 'escape.yaml'), { root })).toThrow(/symbolic link/);
      expect(loadFile(path.join(root, 'alias.yaml'), { root }).error).toBeUndefined();
      expect(loadFile(path.join(root, 'escape.yaml')).error).toBeUndefined(); // no root: the caller decides
    });

    test('a symlink loop is an error, not a hang', () => {
      const root = path.join(dir, 'repo');
      expect(loadFile(path.join(root, 'loop-a.yaml'), { root }).error!.problem).toMatch(/symbolic link loop/);
      expect(loadFile(path.join(root, 'loop-a.yaml')).error!.problem).toMatch(/symbolic link loop/);
    });
  });
});
