/**
 * Template inputs in the rules file: `parameters`, `pseudo` and `conditions` for every template,
 * and per files pattern under `templates:`; every mistake reported with its line.
 */
import { parseRules } from '../../src/rules/parse';

const RULE = 'rules:\n  - name: a\n    expect: { readOnly: true }\n';

test('file-wide values and templates: entries become RuleSet.inputs, in order, with where they are written', () => {
  const set = parseRules(`version: 1\nparameters: { Stage: prod, Count: 2 }\npseudo: { AccountId: '111122223333' }\ntemplates:\n  - files: infra/dev/**\n    parameters: { Stage: dev }\n    conditions: { IsProd: false }\n${RULE}`, 'r.yaml');
  expect(set.inputs).toEqual([
    { parameters: { Stage: 'prod', Count: '2' }, pseudo: { AccountId: '111122223333' }, source: { file: 'r.yaml', line: 1, column: 1 } },
    { files: ['infra/dev/**'], parameters: { Stage: 'dev' }, conditions: { IsProd: false }, source: { file: 'r.yaml', line: 5, column: 5, path: 'templates[0]' } },
  ]);
  expect(parseRules(`version: 1\n${RULE}`).inputs).toBeUndefined();
});

test('mistakes: each with its line', () => {
  expect(() => parseRules(`version: 1\npseudo: { AccountId: '12', Regoin: x }\nconditions: { A: yes-please }\ntemplates:\n  - parameters: {}\n${RULE}`, 'r.yaml')).toThrow(
    /r\.yaml:2:22: pseudo\.AccountId: "12" does not match[\s\S]*r\.yaml:2:28: pseudo\.Regoin: unknown key 'Regoin': did you mean 'Region'\?[\s\S]*r\.yaml:3:18: conditions\.A: must be true or false[\s\S]*r\.yaml:5:5: templates\[0\]: is missing the required key 'files'/,
  );
});
