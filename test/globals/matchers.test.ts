/**
 * The `globals` Jest project (injectGlobals: false, no setupFilesAfterEnv): what a user of
 * `import { expect } from '@jest/globals'` (or another runner) does with the pure export.
 */
import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers/matchers';
import { UnknownCatalogEntryError } from '../../src/errors';
import { managedPolicy } from '../../src/managed';
import { editor, regionBound, viewer } from '../matchers/fixtures';

describe('expect.extend(matchers) with @jest/globals', () => {
  test('registers every matcher on the imported expect, which then works in both directions', () => {
    expect((globalThis as { expect?: unknown }).expect).toBeUndefined();
    expect(typeof (expect(viewer) as unknown as Record<string, unknown>).toGrantConsoleTask).toBe('undefined');
    expect.extend(matchers);
    expect(editor).toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(viewer).not.toGrantConsoleTask('Data storage', 'Edit call recording');
    expect(viewer).not.toGrantConsolePage('Federations');
    expect(viewer).toAllowAction('connect:DescribeInstance');
    expect(viewer).toBeReadOnly();
    expect(managedPolicy('AmazonConnect_FullAccess')).not.toBeReadOnly();
    expect(viewer).toStayWithin('AmazonConnectReadOnlyAccess');
  });

  test('uncertainty and unknown names behave the same as with globals', () => {
    expect.extend(matchers);
    expect(() => expect(regionBound).toAllowAction('connect:DescribeInstance')).toThrow(/aws:RequestedRegion/);
    expect(() => expect(regionBound).not.toAllowAction('connect:DescribeInstance')).toThrow(/aws:RequestedRegion/);
    expect(() => expect(viewer).not.toGrantConsoleTask('Data storage', 'Edit call recordings')).toThrow(UnknownCatalogEntryError);
  });
});
