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
  /** What kind of task this is: view tasks are what edit tasks build on. */
  readonly kind: 'view' | 'edit' | 'other';
  /** The task's own actions (the row), duplicates removed, corrections applied. */
  readonly actions: readonly CatalogAction[];
  /** Id of the View task an edit-like task also needs (the page's Edit rule), if any. */
  readonly requiresView?: string;
  /** True when the task is on a detail page and needs the home page's describe/list. */
  readonly requiresInstanceAccess: boolean;
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

export interface Catalog {
  readonly source: {
    readonly title: string;
    readonly file: string;
    readonly url: string;
  };
  readonly pages: readonly CatalogPage[];
  readonly sections: readonly CatalogSection[];
  readonly tasks: readonly CatalogTask[];
  /** The actions that give "describe/list" access to the instance from the home page. */
  readonly instanceAccess: readonly CatalogAction[];
}
