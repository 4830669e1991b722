/**
 * The Amazon Connect console catalog: pages, sections, tasks and the IAM actions each
 * task needs, from the AWS page "Required permissions for using custom IAM policies to
 * manage access to the Amazon Connect console" (shared/seed/000_b71596f31d02ca06.txt).
 */

/** Where an entry came from in the seed page, so a reader can check it. */
export interface Provenance {
  /** The `##` heading as written, e.g. "Data storage page". */
  readonly heading: string;
  /** The `###` heading as written, when the task is in a section. */
  readonly section?: string;
  /** The table row's first cell as written. */
  readonly row?: string;
  /** 1-based row number in its table. */
  readonly rowNumber?: number;
  /** 1-based line of the heading or row in the seed file (optional, added by the catalog). */
  readonly line?: number;
  /** The heading's HTML anchor in the page, e.g. "data-storage-page" (optional). */
  readonly anchor?: string;
}

/** One action the console needs, with the resource/condition the page states for it. */
export interface CatalogAction {
  /** Canonical name, e.g. "connect:DescribeInstanceAttribute". */
  readonly action: string;
  /** The resource the console acts on: "*" unless the page states one. */
  readonly resource: string;
  /** Condition context the console sends with the call, when the page states one. */
  readonly context?: Readonly<Record<string, string>>;
  /** When the page wrote the name differently: the text as written and why it was corrected. */
  readonly asWritten?: string;
  readonly correction?: string;
}

export interface CatalogTask {
  /** Stable id: "data-storage/call-recording/edit", "home/describe-instance". */
  readonly id: string;
  /** Page id, e.g. "data-storage". */
  readonly page: string;
  /** Section id, when the page has sections, e.g. "call-recording". */
  readonly section?: string;
  /** The label as written (glitches normalised), e.g. "Describe instance: View the details of the instance/ current settings". */
  readonly label: string;
  /** The short name users type, e.g. "Describe instance". */
  readonly name: string;
  /** Other names lookup accepts for this task (optional), e.g. "View instance details". */
  readonly aliases?: readonly string[];
  /** What kind of task this is: view tasks are what edit tasks build on. */
  readonly kind: 'view' | 'edit' | 'other';
  /** The task's own actions (the row), duplicates removed, corrections applied. */
  readonly actions: readonly CatalogAction[];
  /** Id of the View task an edit-like task also needs (the page's Edit rule), if any. */
  readonly requiresView?: string;
  /** True when the task is on a detail page and needs the home page's describe/list. */
  readonly requiresInstanceAccess: boolean;
  /** Why the task was modelled the way it was, where the page leaves room for reading (optional). */
  readonly note?: string;
  readonly provenance: Provenance;
}

export interface CatalogSection {
  readonly id: string;
  readonly page: string;
  /** As written, without the trailing " section": "Call recording". */
  readonly title: string;
  readonly provenance: Provenance;
}

export interface CatalogPage {
  readonly id: string;
  /** Title as written: "Data storage page", "Amazon Connect console home page", "Federations". */
  readonly title: string;
  /** Short name users type: "Data storage", "Home", "Federations". */
  readonly name: string;
  /** Other names lookup accepts for this page (optional), e.g. "Console home page". */
  readonly aliases?: readonly string[];
  /** Every page but the home page and Federations. */
  readonly detailPage: boolean;
  readonly sections: readonly CatalogSection[];
  readonly tasks: readonly CatalogTask[];
  readonly provenance: Provenance;
}

/** A prerequisite action of a task, with the task it comes from. */
export interface PrerequisiteAction extends CatalogAction {
  /** Id of the task the prerequisite comes from ("data-storage/call-recording/view"), or "home/instance-access". */
  readonly from: string;
  readonly why: 'view-task' | 'instance-access';
}

/** A glitch the catalog normalised or a wrong action name it corrected, with the text as written. */
export interface CatalogCorrection {
  /** "action-name": not a real IAM action, replaced; the others are formatting glitches. */
  readonly kind: 'action-name' | 'escaped-character' | 'space-after-colon' | 'duplicate';
  readonly asWritten: string;
  readonly corrected: string;
  readonly reason: string;
  /** Ids of the tasks whose rows had it. */
  readonly tasks?: readonly string[];
}

/** A resource or condition context stated for an action, with where it was stated and the tasks it applies to. */
export interface CatalogActionFact {
  readonly action: string;
  readonly resource?: string;
  readonly context?: Readonly<Record<string, string>>;
  readonly tasks: readonly string[];
  readonly provenance: Provenance;
  readonly reason: string;
}

/** Where `Catalog.instanceAccess` comes from and how the page's "describe/list" was read. */
export interface CatalogInstanceAccessSource {
  /** "home/instance-access", the `from` of instance-access prerequisites. */
  readonly id: string;
  readonly name: string;
  readonly provenance: Provenance;
  readonly reading: string;
  /** Ids of the home page tasks the actions are taken from. */
  readonly from: readonly string[];
}

export interface Catalog {
  readonly source: {
    readonly title: string;
    readonly file: string;
    readonly url: string;
    /** How and when the page was retrieved (optional). */
    readonly retrieved?: string;
  };
  /** How ids are formed (optional, documentation). */
  readonly idScheme?: string;
  /** Every normalisation and correction applied to the page (optional). */
  readonly corrections?: readonly CatalogCorrection[];
  /** Resources and conditions stated for actions, with provenance (optional). */
  readonly actionFacts?: readonly CatalogActionFact[];
  /** Where `instanceAccess` comes from (optional). */
  readonly instanceAccessSource?: CatalogInstanceAccessSource;
  readonly pages: readonly CatalogPage[];
  readonly sections: readonly CatalogSection[];
  readonly tasks: readonly CatalogTask[];
  /** The actions that give "describe/list" access to the instance from the home page. */
  readonly instanceAccess: readonly CatalogAction[];
}
