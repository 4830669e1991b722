/**
 * Lookup: the names users write for pages and tasks, task references, and every error path
 * with its suggestions. Unknown names never resolve by guessing.
 */
import { findPage, findTask, listTaskRefs, parseTaskRef, catalog } from '../../src/catalog';
import { UnknownCatalogEntryError, UsageError } from '../../src/errors';

function thrown(fn: () => unknown): UnknownCatalogEntryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UnknownCatalogEntryError);
    return e as UnknownCatalogEntryError;
  }
  throw new Error('expected an UnknownCatalogEntryError');
}

describe('findPage', () => {
  it.each([
    ['Data storage', 'data-storage'],
    ['Data storage page', 'data-storage'],
    ['data STORAGE', 'data-storage'],
    ['  Data   storage  page ', 'data-storage'],
    ['data-storage', 'data-storage'],
    ['Home', 'home'],
    ['Home page', 'home'],
    ['home page', 'home'],
    ['Amazon Connect console home page', 'home'],
    ['Console home page', 'home'],
    ['Federations', 'federations'],
    ['Voice ID', 'voice-id'],
    ['voice-id', 'voice-id'],
    ['Customer Profiles page', 'customer-profiles'],
    ['Flows page', 'flows'],
  ])('%p is %s', (name, id) => {
    expect(findPage(name).id).toBe(id);
  });

  it('accepts every page by id, name and title', () => {
    for (const p of catalog.pages) {
      expect(findPage(p.id)).toBe(p);
      expect(findPage(p.name)).toBe(p);
      expect(findPage(p.title)).toBe(p);
    }
  });

  it('suggests pages for an unknown page', () => {
    const e = thrown(() => findPage('Data strage'));
    expect(e.message).toContain("Unknown console page 'Data strage'");
    expect(e.message).toContain("did you mean 'Data storage'");
    expect(e.suggestions[0]).toBe('Data storage');
    expect(e.kind).toBe('console page');
    expect(e.value).toBe('Data strage');
  });

  it('suggests a page for a near miss on a title', () => {
    expect(thrown(() => findPage('Telephone')).suggestions).toContain('Telephony');
    expect(findPage('Federation page').id).toBe('federations');
  });

  it('lists the pages when nothing is close', () => {
    const e = thrown(() => findPage('Zzzzzzzzzzzzzzzzzz'));
    expect(e.suggestions).toEqual([]);
    expect(e.message).toContain('Pages: Home, Overview, Telephony');
  });

  it('lists the pages for an empty name', () => {
    expect(thrown(() => findPage('  ')).message).toContain('Pages: Home,');
  });

  it('does not accept a prefix or a partial name', () => {
    thrown(() => findPage('Data'));
    thrown(() => findPage('page'));
  });

  it('rejects a non-string with a UsageError', () => {
    expect(() => findPage(42 as unknown as string)).toThrow(UsageError);
    expect(() => findPage(undefined as unknown as string)).toThrow(/string, received undefined/);
  });
});

describe('findTask', () => {
  it.each([
    ['Data storage', 'Edit call recording', 'data-storage/call-recording/edit'],
    ['data storage page', 'edit CALL recording', 'data-storage/call-recording/edit'],
    ['Data storage', '  Edit   call recording ', 'data-storage/call-recording/edit'],
    ['Data storage', 'data-storage/call-recording/edit', 'data-storage/call-recording/edit'],
    ['Data storage', 'call-recording/edit', 'data-storage/call-recording/edit'],
    ['Home', 'Describe instance', 'home/describe-instance'],
    ['Home', 'Describe instance: View the details of the instance/ current settings', 'home/describe-instance'],
    ['Home page', 'describe-instance', 'home/describe-instance'],
    ['Home', 'View instance details', 'home/describe-instance'],
    ['Home', 'List instances', 'home/list-instance'],
    ['Telephony', 'Enable/Disable telephony options', 'telephony/enable-disable-telephony-options'],
    ['Telephony', 'Enable / disable telephony options', 'telephony/enable-disable-telephony-options'],
    ['Telephony', 'Disable telephony options', 'telephony/enable-disable-telephony-options'],
    ['Data streaming', 'View contact records', 'data-streaming/contact-records/view'],
    ['Data streaming', 'View data streaming - Contact records', 'data-streaming/contact-records/view'],
    ['Data streaming', 'View data streaming \\- Contact records', 'data-streaming/contact-records/view'],
    ['Data streaming', 'Edit contact record', 'data-streaming/contact-records/edit'],
    ['Flows', 'Add/remove Lex bots', 'flows/lex-bots/add-remove'],
    ['Flows', 'lex-bots/add-remove', 'flows/lex-bots/add-remove'],
    ['Federations', 'Admin/Emergency federation', 'federations/admin-emergency-federation/admin-emergency-federation'],
    ['Federations', 'SAML federation', 'federations/saml-federation/saml-federation'],
    ['Overview', 'Create service-linked role', 'overview/create-service-linked-role'],
  ])('%p / %p is %s', (page, task, id) => {
    expect(findTask(page, task).id).toBe(id);
  });

  it('finds every task by id, short name, label, alias and id without the page', () => {
    for (const t of catalog.tasks) {
      const page = catalog.pages.find((p) => p.id === t.page)!;
      for (const name of [t.id, t.id.slice(t.page.length + 1), t.name, t.label, ...(t.aliases ?? [])]) {
        expect(findTask(page.name, name)).toBe(t);
      }
    }
  });

  it('suggests the closest task: "Edit call recordings" -> "Edit call recording"', () => {
    const e = thrown(() => findTask('Data storage', 'Edit call recordings'));
    expect(e.message).toContain("did you mean 'Edit call recording'");
    expect(e.suggestions[0]).toBe('Edit call recording');
    expect(e.message).toContain("'Data storage / Edit call recordings'");
  });

  it('suggests by short name even when the input is close to an alias or label', () => {
    expect(thrown(() => findTask('Home', 'Describe instances')).suggestions[0]).toBe('Describe instance');
    expect(thrown(() => findTask('Data streaming', 'View data streaming - Contact record')).suggestions[0]).toBe('View contact records');
  });

  it('names the page where a task on the wrong page exists', () => {
    const e = thrown(() => findTask('Data storage', 'View Lex bots'));
    expect(e.message).toContain("'Flows / View Lex bots'");
    expect(thrown(() => findTask('Flows', 'data-storage/call-recording/edit')).message).toContain(
      "'Data storage / Edit call recording'",
    );
  });

  it('suggests tasks of other pages when nothing on the page is close', () => {
    const e = thrown(() => findTask('Home', 'Edit call recordin'));
    expect(e.suggestions).toContain('Data storage / Edit call recording');
  });

  it('lists the page\'s tasks when nothing is close', () => {
    const e = thrown(() => findTask('Home', 'qqqqqqqqqqqqqqqqqqqqqqqq'));
    expect(e.suggestions).toEqual([]);
    expect(e.message).toContain('Tasks on this page: List instance, Describe instance, Create instance, Delete instance.');
    expect(thrown(() => findTask('Home', '')).message).toContain('Tasks on this page:');
  });

  it('reports an unknown page before looking at the task', () => {
    const e = thrown(() => findTask('Data strage', 'Edit call recording'));
    expect(e.kind).toBe('console page');
    expect(e.message).toContain("did you mean 'Data storage'");
  });

  it('does not accept a prefix, a partial name or a bare verb', () => {
    thrown(() => findTask('Data storage', 'Edit'));
    thrown(() => findTask('Data storage', 'Edit call'));
    thrown(() => findTask('Data storage', 'edit'));
    thrown(() => findTask('Home', 'Describe'));
  });

  it('rejects a non-string task with a UsageError', () => {
    expect(() => findTask('Home', null as unknown as string)).toThrow(UsageError);
  });
});

describe('parseTaskRef', () => {
  it.each([
    ['Data storage / Edit call recording', 'data-storage/call-recording/edit'],
    ['Data storage/Edit call recording', 'data-storage/call-recording/edit'],
    ['data storage page / edit call recording', 'data-storage/call-recording/edit'],
    ['data-storage/call-recording/edit', 'data-storage/call-recording/edit'],
    ['home/describe-instance', 'home/describe-instance'],
    ['Home / Describe instance', 'home/describe-instance'],
    ['Flows / Add/remove Lex bots', 'flows/lex-bots/add-remove'],
    ['Federations / Admin/Emergency federation', 'federations/admin-emergency-federation/admin-emergency-federation'],
    ['Telephony / Enable/Disable telephony options', 'telephony/enable-disable-telephony-options'],
    ['Data storage / call-recording/edit', 'data-storage/call-recording/edit'],
    ['Edit call recording', 'data-storage/call-recording/edit'],
  ])('%p is %s', (ref, id) => {
    expect(parseTaskRef(ref).id).toBe(id);
  });

  it('round-trips every listed reference', () => {
    const refs = listTaskRefs();
    expect(refs).toHaveLength(45);
    expect(new Set(refs).size).toBe(45);
    expect(refs).toContain('Data storage / Edit call recording');
    expect(refs[0]).toBe('Home / List instance');
    expect(refs.map((r) => parseTaskRef(r).id)).toEqual(catalog.tasks.map((t) => t.id));
  });

  it('returns a copy of the list', () => {
    listTaskRefs().pop();
    expect(listTaskRefs()).toHaveLength(45);
  });

  it('suggests the page for an unknown page in a reference', () => {
    const e = thrown(() => parseTaskRef('Data strage / Edit call recording'));
    expect(e.kind).toBe('console page');
    expect(e.message).toContain("did you mean 'Data storage'");
    expect(e.message).toContain('Page / Task');
  });

  it('suggests the task for an unknown task in a reference', () => {
    const e = thrown(() => parseTaskRef('Data storage / Edit call recordings'));
    expect(e.message).toContain("did you mean 'Edit call recording'");
  });

  it('suggests references for an unknown bare name', () => {
    const e = thrown(() => parseTaskRef('Edit call recordin'));
    expect(e.suggestions).toContain('Data storage / Edit call recording');
    expect(e.message).toContain('Page / Task');
  });

  it('rejects a wrong task id', () => {
    const e = thrown(() => parseTaskRef('data-storage/call-recording/delete'));
    expect(e.message).toContain("'Data storage / call-recording/delete'");
  });

  it('rejects a non-string with a UsageError', () => {
    expect(() => parseTaskRef({} as unknown as string)).toThrow(UsageError);
  });
});

test('an unknown task written with extra spaces is named without them in the error', () => {
  const { findTask } = require('../../src/catalog') as typeof import('../../src/catalog');
  expect(() => findTask('Data storage', '  Edit call recordings ')).toThrow("Unknown console task 'Data storage / Edit call recordings'");
});
