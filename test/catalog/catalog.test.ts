/**
 * The catalog data: shape, counts, ids, provenance, corrections, the page's rules
 * (Edit -> View, detail pages -> instance access) and the stated resources/conditions.
 */
import { catalog, findTask, taskRequirements } from '../../src/catalog';
import type { CatalogTask } from '../../src/catalog/types';

const SLR = 'arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*';
const byId = (id: string): CatalogTask => {
  const task = catalog.tasks.find((t) => t.id === id);
  if (!task) throw new Error(`no task ${id}`);
  return task;
};
const names = (actions: readonly { action: string }[]): string[] => actions.map((a) => a.action);

describe('catalog shape', () => {
  it('has 12 pages, 14 sections and 45 tasks', () => {
    expect(catalog.pages).toHaveLength(12);
    expect(catalog.sections).toHaveLength(14);
    expect(catalog.tasks).toHaveLength(45);
    expect(catalog.pages.flatMap((p) => p.tasks)).toEqual(catalog.tasks);
    expect(catalog.pages.flatMap((p) => p.sections)).toEqual(catalog.sections);
  });

  it('has sections on Data storage (5), Data streaming (2), Flows (5) and Federations (2) only', () => {
    const counts = Object.fromEntries(catalog.pages.filter((p) => p.sections.length).map((p) => [p.id, p.sections.length]));
    expect(counts).toEqual({ 'data-storage': 5, 'data-streaming': 2, flows: 5, federations: 2 });
  });

  it('has 301 action references, 125 unique names as written and 124 after corrections', () => {
    const all = catalog.tasks.flatMap((t) => t.actions);
    expect(all).toHaveLength(301);
    expect(new Set(all.map((a) => a.asWritten ?? a.action)).size).toBe(125);
    expect(new Set(all.map((a) => a.action)).size).toBe(124);
    const services = new Set(all.map((a) => a.action.split(':')[0]));
    expect(services.size).toBe(19);
  });

  it('keeps the page titles as written and short names users type', () => {
    expect(catalog.pages.map((p) => p.title)).toEqual([
      'Amazon Connect console home page', 'Overview page', 'Telephony page', 'Data storage page', 'Data streaming page',
      'Application integration page', 'Customer Profiles page', 'Tasks page', 'Cases page', 'Voice ID page', 'Flows page',
      'Federations',
    ]);
    expect(catalog.pages.map((p) => p.name)).toEqual([
      'Home', 'Overview', 'Telephony', 'Data storage', 'Data streaming', 'Application integration', 'Customer Profiles',
      'Tasks', 'Cases', 'Voice ID', 'Flows', 'Federations',
    ]);
  });

  it('names the source page', () => {
    expect(catalog.source).toMatchObject({
      file: '000_b71596f31d02ca06.txt',
      url: 'https://docs.aws.amazon.com/connect/latest/adminguide/security-iam-amazon-connect-permissions.html',
    });
    expect(catalog.source.title).toMatch(/Amazon Connect console/);
    expect(catalog.source.retrieved).toBeTruthy();
  });

  it('is frozen, so no caller can change what every other test sees', () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog.tasks[0]!.actions[0])).toBe(true);
    expect(() => (catalog.tasks as CatalogTask[]).push(catalog.tasks[0]!)).toThrow(TypeError);
  });
});

describe('ids', () => {
  it('are unique across pages, sections and tasks', () => {
    const ids = [
      ...catalog.pages.map((p) => p.id),
      ...catalog.sections.map((s) => `${s.page}/${s.id}`),
      ...catalog.tasks.map((t) => t.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('follow the documented scheme', () => {
    for (const t of catalog.tasks) {
      expect(t.id).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+){1,2}$/);
      expect(t.id.startsWith(`${t.page}/${t.section ? `${t.section}/` : ''}`)).toBe(true);
    }
  });

  it.each([
    ['home/list-instance', 'List instance'],
    ['home/describe-instance', 'Describe instance'],
    ['home/create-instance', 'Create instance'],
    ['overview/create-service-linked-role', 'Create service-linked role'],
    ['telephony/enable-disable-telephony-options', 'Enable/disable telephony options'],
    ['data-storage/call-recording/edit', 'Edit call recording'],
    ['data-storage/call-recording/view', 'View call recording'],
    ['data-streaming/contact-records/view', 'View contact records'],
    ['application-integration/edit-approved-origins', 'Edit approved origins'],
    ['cases/onboard-to-cases', 'Onboard to Cases'],
    ['flows/lex-bots/add-remove', 'Add/remove Lex bots'],
    ['flows/amazon-polly/update', 'Update Amazon Polly option'],
    ['federations/saml-federation/saml-federation', 'SAML federation'],
    ['federations/admin-emergency-federation/admin-emergency-federation', 'Admin/Emergency federation'],
  ])('pins %s (%s)', (id, name) => {
    expect(byId(id).name).toBe(name);
  });
});

describe('labels and names', () => {
  it('keeps the label as written, with glitches normalised', () => {
    expect(byId('home/describe-instance').label).toBe(
      'Describe instance: View the details of the instance/ current settings',
    );
    expect(byId('data-streaming/contact-records/view').label).toBe('View data streaming - Contact records');
    expect(byId('overview/create-service-linked-role').label).toBe('Create service-linked role');
    for (const t of catalog.tasks) expect(t.label).not.toMatch(/\\/);
  });

  it('has unique short names within each page', () => {
    for (const p of catalog.pages) expect(new Set(p.tasks.map((t) => t.name.toLowerCase())).size).toBe(p.tasks.length);
  });

  it('has one View task per section and a kind for every task', () => {
    for (const s of catalog.sections) {
      const tasks = catalog.tasks.filter((t) => t.page === s.page && t.section === s.id);
      if (s.page === 'federations') expect(tasks.map((t) => t.kind)).toEqual(['other']);
      else expect(tasks.map((t) => t.kind)).toEqual(['view', 'edit']);
    }
  });
});

describe('provenance', () => {
  it('every page, section and task says where it came from', () => {
    for (const p of catalog.pages) {
      expect(p.provenance.heading).toBe(p.title);
      expect(p.provenance.line).toBeGreaterThan(0);
    }
    for (const s of catalog.sections) {
      const page = catalog.pages.find((p) => p.id === s.page)!;
      expect(s.provenance.heading).toBe(page.title);
      // The ### heading as written: "Call recording section", or just "SAML federation" on Federations.
      expect([s.title, `${s.title} section`]).toContain(s.provenance.section);
    }
    for (const t of catalog.tasks) {
      const page = catalog.pages.find((p) => p.id === t.page)!;
      expect(t.provenance.heading).toBe(page.title);
      expect(t.provenance.row).toBeTruthy();
      expect(t.provenance.rowNumber).toBeGreaterThanOrEqual(1);
      if (t.section) expect(t.provenance.section).toBe(catalog.sections.find((s) => s.page === t.page && s.id === t.section)!.provenance.section);
      else expect(t.provenance.section).toBeUndefined();
    }
  });

  it('pins a few rows', () => {
    expect(byId('data-storage/call-recording/edit').provenance).toMatchObject({
      heading: 'Data storage page', section: 'Call recording section', row: 'Edit call recording', rowNumber: 2,
    });
    expect(byId('home/delete-instance').provenance).toMatchObject({ heading: 'Amazon Connect console home page', rowNumber: 4 });
    expect(byId('data-streaming/agent-events/view').provenance.row).toBe('View data streaming \\- Agent events');
  });
});

describe('corrections', () => {
  const corrections = catalog.corrections ?? [];

  it.each([
    ['connect:DescribeInstanceAttributes', 'connect:DescribeInstanceAttribute', ['home/describe-instance']],
    ['connect:GetFederationTokens', 'connect:AdminGetEmergencyAccessToken', ['federations/admin-emergency-federation/admin-emergency-federation']],
    ['appflow:ListConnectorProfiles', 'appflow:DescribeConnectorProfiles', ['customer-profiles/view-customer-profiles', 'customer-profiles/edit-customer-profiles']],
  ])('corrects %s to %s in every row that has it, keeping the text as written and why', (asWritten, corrected, tasks) => {
    expect(corrections).toContainEqual(expect.objectContaining({ kind: 'action-name', asWritten, corrected, tasks }));
    const carrying = catalog.tasks.filter((t) => t.actions.some((a) => a.asWritten === asWritten));
    expect(carrying.map((t) => t.id)).toEqual(tasks);
    for (const t of carrying) {
      const a = t.actions.find((x) => x.asWritten === asWritten)!;
      expect(a.action).toBe(corrected);
      expect(a.correction).toMatch(/real/);
    }
    for (const t of catalog.tasks) expect(names(t.actions)).not.toContain(asWritten);
  });

  it('only the three wrong names carry asWritten, each with a reason', () => {
    const corrected = catalog.tasks.flatMap((t) => t.actions).filter((a) => a.asWritten !== undefined);
    expect(corrected).toHaveLength(4);
    for (const a of corrected) expect(a.correction!.length).toBeGreaterThan(20);
  });

  it('records the formatting glitches it normalised', () => {
    const glitches = corrections.filter((c) => c.kind !== 'action-name');
    expect(glitches.map((c) => c.asWritten)).toEqual(expect.arrayContaining([
      'connect\\-campaigns:', 'app\\-integrations:', 'AmazonConnect\\_FullAccess',
      'connect: DisassociateInstanceStorageConfig', 'kinesis: DescribeStream', 'connect: AssociateApprovedOrigin', 'kms:ListKeys',
    ]));
    for (const c of corrections) expect(c.reason).toBeTruthy();
    const edit = byId('customer-profiles/edit-customer-profiles');
    expect(names(edit.actions).filter((a) => a === 'kms:ListKeys')).toHaveLength(1);
  });

  it('leaves no duplicate action inside a row', () => {
    for (const t of catalog.tasks) expect(new Set(names(t.actions)).size).toBe(t.actions.length);
  });
});

describe('the Edit -> View rule', () => {
  it('every edit task requires the View task of its section (or of its subject on a page without sections)', () => {
    for (const t of catalog.tasks.filter((x) => x.kind === 'edit')) {
      const view = byId(t.requiresView!);
      expect(view.kind).toBe('view');
      expect(view.page).toBe(t.page);
      expect(view.section).toBe(t.section);
    }
  });

  it.each([
    ['telephony/enable-disable-telephony-options', 'telephony/view-telephony-options'],
    ['telephony/enable-disable-outbound-campaigns', 'telephony/view-outbound-campaigns'],
    ['application-integration/edit-approved-origins', 'application-integration/view-approved-origins'],
    ['customer-profiles/edit-customer-profiles', 'customer-profiles/view-customer-profiles'],
    ['tasks/edit-tasks-integrations', 'tasks/view-tasks-integrations'],
    ['voice-id/edit-voice-id-integrations', 'voice-id/view-voice-id-integrations'],
    ['flows/lex-bots/add-remove', 'flows/lex-bots/view'],
    ['flows/flow-logs/enable-disable', 'flows/flow-logs/view'],
    ['flows/amazon-polly/update', 'flows/amazon-polly/view'],
    ['data-storage/call-recording/edit', 'data-storage/call-recording/view'],
  ])('%s requires %s', (id, view) => {
    expect(byId(id).requiresView).toBe(view);
  });

  it('Onboard to Cases is not an edit but is started from the Cases domain view (documented)', () => {
    const t = byId('cases/onboard-to-cases');
    expect(t.kind).toBe('other');
    expect(t.requiresView).toBe('cases/view-cases-domain-details');
    expect(t.note).toMatch(/View Cases domain details/);
  });

  it.each([
    'home/list-instance', 'home/describe-instance', 'home/create-instance', 'home/delete-instance',
    'overview/create-service-linked-role', 'federations/saml-federation/saml-federation',
    'federations/admin-emergency-federation/admin-emergency-federation',
  ])('%s has no View prerequisite', (id) => {
    expect(byId(id).requiresView).toBeUndefined();
  });

  it('view tasks require no other View task', () => {
    for (const t of catalog.tasks.filter((x) => x.kind === 'view')) expect(t.requiresView).toBeUndefined();
  });
});

describe('instance access (the home page describe/list)', () => {
  it('is connect:ListInstances, ds:DescribeDirectories and connect:DescribeInstance, not the whole Describe instance row', () => {
    expect(names(catalog.instanceAccess)).toEqual(['connect:ListInstances', 'ds:DescribeDirectories', 'connect:DescribeInstance']);
    expect(catalog.instanceAccess.every((a) => a.resource === '*' && a.context === undefined)).toBe(true);
    expect(names(catalog.instanceAccess)).not.toContain('connect:ListLambdaFunctions');
    expect(catalog.instanceAccessSource).toMatchObject({ id: 'home/instance-access', provenance: { heading: 'Detailed instance pages' } });
    expect(catalog.instanceAccessSource!.reading).toMatch(/Cases/);
  });

  it('comes from the home page List instance row plus connect:DescribeInstance', () => {
    const list = byId('home/list-instance');
    expect(names(list.actions)).toEqual(['connect:ListInstances', 'ds:DescribeDirectories']);
    expect(names(byId('home/describe-instance').actions)).toContain('connect:DescribeInstance');
  });

  it('is required by every task on a detail page and by no other', () => {
    for (const p of catalog.pages) {
      expect(p.detailPage).toBe(p.id !== 'home' && p.id !== 'federations');
      for (const t of p.tasks) expect(t.requiresInstanceAccess).toBe(p.detailPage);
    }
  });
});

describe('taskRequirements', () => {
  const req = (page: string, task: string, prerequisites?: boolean) =>
    taskRequirements(findTask(page, task), prerequisites === undefined ? undefined : { prerequisites });

  it('Edit call recording needs View call recording and instance access, apart from its own row', () => {
    const r = req('Data storage', 'Edit call recording');
    expect(r.own).toEqual(byId('data-storage/call-recording/edit').actions);
    expect(r.prerequisites.map((a) => [a.action, a.from, a.why])).toEqual([
      ['connect:DescribeInstance', 'data-storage/call-recording/view', 'view-task'],
      ['connect:ListInstanceStorageConfigs', 'data-storage/call-recording/view', 'view-task'],
      ['connect:DescribeInstanceStorageConfig', 'data-storage/call-recording/view', 'view-task'],
      ['connect:ListInstances', 'home/instance-access', 'instance-access'],
      ['ds:DescribeDirectories', 'home/instance-access', 'instance-access'],
    ]);
  });

  it('Enable/Disable telephony options needs View telephony options (its one action is also instance access)', () => {
    const r = req('Telephony', 'Enable/Disable telephony options');
    expect(names(r.own)).toEqual(['connect:UpdateInstanceAttribute']);
    expect(r.prerequisites.map((a) => `${a.action} <- ${a.from}`)).toEqual([
      'connect:DescribeInstance <- telephony/view-telephony-options',
      'connect:ListInstances <- home/instance-access',
      'ds:DescribeDirectories <- home/instance-access',
    ]);
  });

  it('Add/remove Lex bots needs View Lex bots; actions already in its own row stay own', () => {
    const r = req('Flows', 'Add/remove Lex bots');
    const view = r.prerequisites.filter((a) => a.why === 'view-task');
    // View Lex bots is connect:ListLexBots + connect:ListBots, both already in the Add/remove row.
    expect(view).toEqual([]);
    expect(names(r.own)).toEqual(expect.arrayContaining(['connect:ListLexBots', 'connect:ListBots']));
    expect(r.prerequisites.map((a) => a.action)).toEqual(['connect:ListInstances', 'ds:DescribeDirectories', 'connect:DescribeInstance']);
  });

  it('View Lex bots needs only instance access', () => {
    expect(req('Flows', 'View Lex bots').prerequisites.every((a) => a.why === 'instance-access')).toBe(true);
  });

  it('Create instance has no View prerequisite and, on the home page, no instance access', () => {
    expect(req('Home', 'Create instance').prerequisites).toEqual([]);
  });

  it.each(['SAML federation', 'Admin/Emergency federation'])('Federations / %s has no prerequisites', (task) => {
    expect(req('Federations', task).prerequisites).toEqual([]);
  });

  it('Overview / Create service-linked role needs instance access only for actions not in its row', () => {
    const r = req('Overview', 'Create service-linked role');
    expect(r.prerequisites).toEqual([]);
  });

  it('never repeats an action, and never lists an own action as a prerequisite', () => {
    for (const t of catalog.tasks) {
      const r = taskRequirements(t);
      const own = new Set(r.own.map((a) => a.action));
      const pre = r.prerequisites.map((a) => a.action);
      expect(new Set(pre).size).toBe(pre.length);
      for (const a of pre) expect(own.has(a)).toBe(false);
      for (const a of r.prerequisites) expect(['view-task', 'instance-access']).toContain(a.why);
    }
  });

  it('prerequisites: false gives the own row only', () => {
    for (const t of catalog.tasks) {
      const r = taskRequirements(t, { prerequisites: false });
      expect(r.prerequisites).toEqual([]);
      expect(r.own).toEqual(t.actions);
    }
  });

  it('returns fresh arrays each call', () => {
    const t = findTask('Data storage', 'Edit call recording');
    const a = taskRequirements(t);
    a.own.pop();
    a.prerequisites.length = 0;
    expect(taskRequirements(t).own).toHaveLength(11);
    expect(taskRequirements(t).prerequisites).toHaveLength(5);
  });
});

describe('resources and conditions the page states', () => {
  const all = catalog.tasks.flatMap((t) => t.actions.map((a) => ({ task: t.id, ...a })));

  it('iam:PutRolePolicy acts on the Amazon Connect service-linked role in every row', () => {
    const put = all.filter((a) => a.action === 'iam:PutRolePolicy');
    expect(put.map((a) => [a.task, a.resource])).toEqual([
      ['overview/create-service-linked-role', SLR],
      ['telephony/enable-disable-outbound-campaigns', SLR],
      ['cases/onboard-to-cases', SLR],
    ]);
  });

  it('iam:CreateServiceLinkedRole carries iam:AWSServiceName = connect.amazonaws.com in every row', () => {
    const create = all.filter((a) => a.action === 'iam:CreateServiceLinkedRole');
    expect(create.map((a) => [a.task, a.resource, a.context])).toEqual([
      ['home/create-instance', '*', { 'iam:AWSServiceName': 'connect.amazonaws.com' }],
      ['overview/create-service-linked-role', '*', { 'iam:AWSServiceName': 'connect.amazonaws.com' }],
      ['telephony/enable-disable-outbound-campaigns', '*', { 'iam:AWSServiceName': 'connect.amazonaws.com' }],
    ]);
  });

  it('iam:DeleteServiceLinkedRole (only in the outbound campaigns row) acts on the Amazon Connect service-linked role', () => {
    const del = all.filter((a) => a.action === 'iam:DeleteServiceLinkedRole');
    expect(del.map((a) => [a.task, a.resource])).toEqual([['telephony/enable-disable-outbound-campaigns', SLR]]);
  });

  it('every other action acts on "*" with no context', () => {
    const special = new Set(['iam:PutRolePolicy', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole']);
    for (const a of all.filter((x) => !special.has(x.action))) {
      expect(a.resource).toBe('*');
      expect(a.context).toBeUndefined();
    }
  });

  it('records where each stated resource/condition comes from', () => {
    const facts = catalog.actionFacts ?? [];
    expect(facts.map((f) => f.action)).toEqual(['iam:PutRolePolicy', 'iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole']);
    expect(facts[0]).toMatchObject({ resource: SLR, provenance: { heading: 'AmazonConnect_FullAccess policy' } });
    expect(facts[0]!.provenance.row).toMatch(/AttachAnyPolicyToAmazonConnectRole/);
    expect(facts[1]).toMatchObject({ context: { 'iam:AWSServiceName': 'connect.amazonaws.com' } });
    expect(facts[2]).toMatchObject({ resource: SLR, tasks: ['telephony/enable-disable-outbound-campaigns'] });
    for (const f of facts) {
      for (const id of f.tasks) {
        const a = byId(id).actions.find((x) => x.action === f.action)!;
        expect(a.resource).toBe(f.resource ?? '*');
        expect(a.context).toEqual(f.context);
      }
    }
  });
});
