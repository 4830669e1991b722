/**
 * loadCatalog and createCatalogLookup on small hand-written fixtures: a malformed catalog fails
 * at load time (never a wrong answer later), and the lookup rules hold on data we control.
 */
import { loadCatalog, CatalogDataError } from '../../src/catalog/load';
import { createCatalogLookup } from '../../src/catalog/lookup';
import { UnknownCatalogEntryError } from '../../src/errors';

const ROLE = 'arn:aws:iam::*:role/example';

// The fixture is edited freely to break it in many ways; typing every path would only hide the intent.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = Record<string, any>;

/** Two detail pages ("Alpha" with a section, "Beta" without) and a home page. */
function fixture(): Raw {
  return {
    schemaVersion: 1,
    source: { title: 'Fixture page', file: 'fixture.txt', url: 'https://example.com/fixture' },
    instanceAccess: {
      id: 'home/instance-access',
      name: 'Instance access',
      actions: [{ action: 'connect:ListInstances', resource: '*' }, { action: 'connect:DescribeInstance', resource: '*' }],
      provenance: { heading: 'Detail pages' },
      reading: 'fixture',
      from: ['home/list'],
    },
    pages: [
      {
        id: 'home', title: 'Home page', name: 'Home', detailPage: false, sections: [],
        provenance: { heading: 'Home page' },
        tasks: [
          { id: 'home/list', page: 'home', label: 'List', name: 'List', kind: 'view', requiresInstanceAccess: false,
            provenance: { heading: 'Home page', row: 'List', rowNumber: 1 },
            actions: [{ action: 'connect:ListInstances', resource: '*' }] },
        ],
      },
      {
        id: 'alpha', title: 'Alpha page', name: 'Alpha', detailPage: true,
        sections: [{ id: 'one', page: 'alpha', title: 'One', provenance: { heading: 'Alpha page', section: 'One section' } }],
        provenance: { heading: 'Alpha page' },
        tasks: [
          { id: 'alpha/one/view', page: 'alpha', section: 'one', label: 'View one', name: 'View one', kind: 'view',
            requiresInstanceAccess: true, provenance: { heading: 'Alpha page', section: 'One section', row: 'View one', rowNumber: 1 },
            actions: [{ action: 'connect:DescribeInstance', resource: '*' }, { action: 'iam:PutRolePolicy', resource: '*' }] },
          { id: 'alpha/one/edit', page: 'alpha', section: 'one', label: 'Edit one', name: 'Edit one', kind: 'edit',
            requiresView: 'alpha/one/view', requiresInstanceAccess: true,
            provenance: { heading: 'Alpha page', section: 'One section', row: 'Edit one', rowNumber: 2 },
            actions: [{ action: 'iam:PutRolePolicy', resource: ROLE }, { action: 'connect:DescribeInstance', resource: '*' }] },
          { id: 'alpha/one/shared', page: 'alpha', section: 'one', label: 'Shared', name: 'Shared', kind: 'other',
            requiresInstanceAccess: true, provenance: { heading: 'Alpha page', section: 'One section', row: 'Shared', rowNumber: 3 },
            actions: [{ action: 'connect:ListBots', resource: '*' }] },
        ],
      },
      {
        id: 'beta', title: 'Beta page', name: 'Beta', detailPage: true, sections: [],
        provenance: { heading: 'Beta page' },
        tasks: [
          { id: 'beta/shared', page: 'beta', label: 'Shared', name: 'Shared', kind: 'other', requiresInstanceAccess: true,
            provenance: { heading: 'Beta page', row: 'Shared', rowNumber: 1 },
            actions: [{ action: 'connect:ListBots', resource: '*', asWritten: 'connect:ListBot', correction: 'fixture' }] },
        ],
      },
    ],
  };
}

describe('loadCatalog', () => {
  it('loads a well-formed fixture and derives sections and tasks in page order', () => {
    const c = loadCatalog(fixture());
    expect(c.tasks.map((t) => t.id)).toEqual(['home/list', 'alpha/one/view', 'alpha/one/edit', 'alpha/one/shared', 'beta/shared']);
    expect(c.sections.map((s) => s.id)).toEqual(['one']);
    expect(Object.isFrozen(c.pages[1]!.tasks[0]!.actions)).toBe(true);
  });

  const broken: Array<[string, (raw: Raw) => void, RegExp]> = [
    ['not an object', () => undefined, /expected an object/],
    ['a wrong schema version', (r) => { r.schemaVersion = 2; }, /schemaVersion/],
    ['an edit task without requiresView', (r) => { delete r.pages[1].tasks[1].requiresView; }, /edit task needs requiresView/],
    ['requiresView to a task that does not exist', (r) => { r.pages[1].tasks[1].requiresView = 'alpha/one/nope'; }, /no task 'alpha\/one\/nope'/],
    ['requiresView to a task that is not a View task', (r) => { r.pages[1].tasks[1].requiresView = 'alpha/one/shared'; }, /not a View task/],
    ['requiresView to another page', (r) => { r.pages[2].tasks[0].requiresView = 'alpha/one/view'; }, /not a View task of the same page/],
    ['a duplicate action in a row', (r) => { r.pages[1].tasks[0].actions.push({ action: 'connect:describeinstance', resource: '*' }); }, /duplicate action/],
    ['asWritten without a correction reason', (r) => { delete r.pages[2].tasks[0].actions[0].correction; }, /asWritten and correction go together/],
    ['an action name that is not service:Action', (r) => { r.pages[1].tasks[0].actions[0].action = 'connect DescribeInstance'; }, /not a service:Action name/],
    ['a task without actions', (r) => { r.pages[1].tasks[0].actions = []; }, /at least one action/],
    ['a detail-page task without instance access', (r) => { r.pages[1].tasks[0].requiresInstanceAccess = false; }, /must be true/],
    ['a home-page task with instance access', (r) => { r.pages[0].tasks[0].requiresInstanceAccess = true; }, /must be false/],
    ['an unknown task kind', (r) => { r.pages[1].tasks[0].kind = 'read'; }, /expected one of view, edit, other/],
    ['a task without its section on a page with sections', (r) => { delete r.pages[1].tasks[2].section; }, /needs one/],
    ['a task in an unknown section', (r) => { r.pages[1].tasks[2].section = 'two'; }, /no section 'two'/],
    ['a task id without its page prefix', (r) => { r.pages[2].tasks[0].id = 'gamma/shared'; }, /starts with its page id/],
    ['a duplicate task id', (r) => { r.pages[1].tasks[2].id = 'alpha/one/edit'; }, /duplicate task id/],
    ['a missing provenance heading', (r) => { delete r.pages[1].tasks[0].provenance.heading; }, /provenance\.heading/],
    ['a bad row number', (r) => { r.pages[1].tasks[0].provenance.rowNumber = 0; }, /rowNumber/],
    ['an action fact the task does not carry', (r) => {
      r.actionFacts = [{ action: 'iam:PutRolePolicy', resource: 'arn:aws:iam::*:role/other', tasks: ['alpha/one/edit'], provenance: { heading: 'x' }, reason: 'x' }];
    }, /does not carry the stated resource/],
  ];
  it.each(broken)('rejects %s', (_name, edit, message) => {
    const raw = fixture();
    edit(raw);
    const input = _name === 'not an object' ? 'nope' : raw;
    expect(() => loadCatalog(input)).toThrow(CatalogDataError);
    expect(() => loadCatalog(input)).toThrow(message);
  });
});

describe('createCatalogLookup on a fixture', () => {
  const lookup = createCatalogLookup(loadCatalog(fixture()));

  it('keeps an own action with a narrower resource AND the prerequisite on "*" (no wrong pass by dedup)', () => {
    const r = lookup.taskRequirements(lookup.findTask('Alpha', 'Edit one'));
    expect(r.own.map((a) => `${a.action} ${a.resource}`)).toEqual([`iam:PutRolePolicy ${ROLE}`, 'connect:DescribeInstance *']);
    expect(r.prerequisites.map((a) => `${a.action} ${a.resource} <- ${a.from}`)).toEqual([
      'iam:PutRolePolicy * <- alpha/one/view',
      'connect:ListInstances * <- home/instance-access',
    ]);
  });

  it('rejects a bare task name that more than one page has, listing each reference', () => {
    let error: unknown;
    try {
      lookup.parseTaskRef('Shared');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownCatalogEntryError);
    expect((error as UnknownCatalogEntryError).suggestions).toEqual(['Alpha / Shared', 'Beta / Shared']);
    expect((error as Error).message).toContain('More than one page has that task');
    expect(lookup.parseTaskRef('Beta / Shared').id).toBe('beta/shared');
  });

  it('refuses a catalog where one name would match two tasks of a page', () => {
    const raw = fixture();
    raw.pages[1].tasks[2].aliases = ['Edit one'];
    expect(() => createCatalogLookup(loadCatalog(raw))).toThrow(/would match both 'alpha\/one\/edit' and 'alpha\/one\/shared'/);
  });

  it('refuses a catalog where one name would match two pages', () => {
    const raw = fixture();
    raw.pages[2].aliases = ['Alpha page'];
    expect(() => createCatalogLookup(loadCatalog(raw))).toThrow(CatalogDataError);
  });
});
