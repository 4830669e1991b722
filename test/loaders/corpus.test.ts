/**
 * Every real template in ../shared/corpus/templates loads, or fails with a precise error where
 * the file itself is invalid; the number of principals of each is pinned, and a handful are
 * pinned in detail (SAM, CDK output, NotAction, NotResource, Fn::If around whole policies,
 * conditions, AWS managed policy ARNs).
 */
import * as path from 'node:path';
import { PolicySourceError, PolicyValidationError } from '../../src/errors';
import { loadFile, loadPolicyFile, loadTemplate } from '../../src/loaders';
import { Unresolved } from '../../src/policy/symbolic';
import type { Principal } from '../../src/policy/types';
import { corpusTest } from './helpers';

type Expect = number | 'ERROR';
/** [file, kind, principals] — 'ERROR' where the published file is itself invalid. */
const TABLE: ReadonlyArray<readonly [string, 'template' | 'cdk' | 'policy' | 'not-a-template', Expect]> = [
  ['amazon-connect__advanced-usage-analytics__cloudformation__backend.yaml', 'template', 2],
  ['amazon-connect__ai-powered-speech-analytics-for-amazon-connect__deployment__ai-powered-speech-analytics-for-amazon-connect.yaml', 'template', 9],
  ['amazon-connect__amazon-connect-chat-ui-examples__cloudformationTemplates__startChatContactAPI__cloudformation.yaml', 'template', 2],
  ['amazon-connect__amazon-connect-contact-lens-api-sample-app__template.yaml', 'template', 2],
  ['amazon-connect__amazon-connect-realtime-transcription__deployment__cloudformation.template', 'template', 4],
  ['amazon-connect__amazon-connect-salesforce-lambda__sam-app__lambda_functions__template.yaml', 'template', 14],
  ['amazon-connect__amazon-connect-salesforce-scv__Archive__AWSSCV-VoicemailExpress__CloudFormation__awsscv_vmx.yaml', 'template', 1],
  ['amazon-connect__amazon-connect-salesforce-scv__Examples__AWSSCV-DataDirectedRouting-FlowRouting__CloudFormation__awsscv_ddr_flow.yaml', 'template', 0],
  ['amazon-connect__amazon-connect-salesforce-scv__Solutions__HolidayCalendar__CloudFormation__sfhc.yaml', 'template', 'ERROR'],
  ['amazon-connect__amazon-connect-salesforce-scv__Solutions__VMX2-VoicemailExpress__CloudFormation__vmx-lambda-functions.yaml', 'template', 0],
  ['amazon-connect__amazon-connect-snippets__projects__RateLimiter__rate_limiter_cfn.yaml', 'template', 1],
  ['amazon-connect__amazon-connect-snippets__python__CheckTimeLeft__template.yaml', 'template', 2],
  ['amazon-connect__amazon-connect-snippets__tools__ConnectCloudwatchDashboard__stack.yaml', 'template', 1],
  ['amazon-connect__amazon-connect-tasks-sample-application__template.yaml', 'template', 7],
  ['amazon-connect__amazon-connect-voice-id-sample-application__template.yaml', 'template', 2],
  ['amazon-connect__voicemail-express-amazon-connect__CloudFormation__vmx3-core.yaml', 'template', 9],
  ['amazon-connect__voicemail-express-amazon-connect__CloudFormation__vmx3-policy-builder.yaml', 'template', 0],
  ['amazon-connect__voicemail-for-amazon-connect__deployment__aws-connect-vm.template', 'template', 17],
  ['aws-samples__amazon-connect-agent-hold-pause-resume-recording__cft__connect-agent-event-cft.yaml', 'template', 1],
  ['aws-samples__amazon-connect-callback-contact-management__info__cft__connect-callback-cft.yaml', 'template', 3],
  ['aws-samples__amazon-connect-cicd-workshop__amzconnect-devops-pipelines__cfn-template.yml', 'template', 5],
  ['aws-samples__amazon-connect-cicd-workshop__pipelineDeploymentRole.yml', 'template', 1],
  ['aws-samples__amazon-connect-collect-feedback-via-phone-ivr__cloudformation__ivr-collect-customer-feedback.json', 'template', 5],
  ['aws-samples__amazon-connect-config-rules__campaigns.yml', 'template', 3],
  ['aws-samples__amazon-connect-config-rules__check-connect-lambda-timeout-setting.yml', 'template', 1],
  ['aws-samples__amazon-connect-config-rules__general-security-checks.yml', 'template', 1],
  ['aws-samples__amazon-connect-contact-surveys__deployment__contact-surveys-amazon-connect.yaml', 'template', 11],
  ['aws-samples__amazon-connect-contactcenterops__cloudformation__connect__instance-storage-config-s3__contact-center.yaml', 'template', 4],
  ['aws-samples__amazon-connect-contactcenterops__cloudformation__pipeline__dev-approve-prod__devops.yaml', 'template', 2],
  ['aws-samples__amazon-connect-experience-builder__deployment__cloudformation.yaml', 'template', 4],
  ['aws-samples__amazon-connect-live-agent-translation__cloudformation__mlcc.template.json', 'cdk', 'ERROR'],
  ['aws-samples__amazon-connect-migration-utilities__cfn-contact-flow-custom-resources.yml', 'template', 2],
  ['aws-samples__amazon-connect-power-dialer__template.yaml', 'template', 5],
  ['aws-samples__amazon-connect-real-time-opensearch__cft__connect-aoss-cft.yaml', 'template', 5],
  ['aws-samples__amazon-connect-rules-engine__serverless.yaml', 'not-a-template', 0],
  ['aws-samples__amazon-connect-scim-user-management__CloudFormation__user_management_cloudformation.yaml', 'template', 4],
  ['aws-samples__amazon-connect-transcript-sender__template.yaml', 'template', 1],
  ['aws-samples__amazon-connect-virtual-credit-agent__template.yaml', 'template', 6],
  ['aws-samples__amazon-connect-whatsapp-chat__template.yaml', 'template', 3],
  ['aws-samples__amazon-connect-wisdom-s3-sync__components__1-wisdom-integration__amazon-connect-wisdom-integration.yml', 'template', 1],
  ['aws-samples__sample-amazon-connect-service-quota-monitor__connect-quota-monitor-cfn.yaml', 'template', 1],
  ['aws-samples__sample-amazon-connect-service-quota-monitor__iam__cli-user-policy.json', 'policy', 1],
  ['aws-samples__sample-amazon-connect-service-quota-monitor__iam__lambda-permission-policy.json', 'policy', 1],
  ['aws-samples__sample-cdk-constructs-for-amazon-connect__test__integ.default.ts.snapshot__TestConnectStack.template.json', 'cdk', 9],
  ['awsdocs__amazon-connect-admin-guide__doc_source__configure-saml__block02.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__required-permissions-iam-cases__block03.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__restrict-access-examples__block01.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__restrict-access-examples__block03.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security-best-practices__block01.json', 'policy', 'ERROR'],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_id-based-policy-examples__block02.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_id-based-policy-examples__block04.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_id-based-policy-examples__block06.json', 'policy', 'ERROR'],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_resource-level-policy-examples__block01.json', 'policy', 1],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_resource-level-policy-examples__block03.json', 'policy', 'ERROR'],
  ['awsdocs__amazon-connect-admin-guide__doc_source__security_iam_resource-level-policy-examples__block05.json', 'policy', 1],
  ['iann0036__amazon-connect-cfn__custom_resource.yaml', 'template', 2],
  ['jcnovoa-skpi__amazon-connect-call-quality-monitoring__deployment-stack-cdk__lib__deployment-cdk-policy.json', 'policy', 1],
  ['jcnovoa-skpi__amazon-connect-call-quality-monitoring__deployment-stack-cdk__sar-update.json', 'template', 2],
  ['voicefoundryap__amazon-connect-for-zendesk__add-ons__connect-auth__packaged.yml', 'template', 2],
  ['voicefoundryap__amazon-connect-for-zendesk__add-ons__connect-auth__template.yml', 'template', 2],
];

/** Why each invalid file is invalid (checked against the error message). */
const INVALID: Readonly<Record<string, RegExp>> = {
  'amazon-connect__amazon-connect-salesforce-scv__Solutions__HolidayCalendar__CloudFormation__sfhc.yaml': /Resource 'Looks like - arn:aws:connect:REGION:ACCOUNT:instance\/REPLACEME' is neither/,
  'aws-samples__amazon-connect-live-agent-translation__cloudformation__mlcc.template.json': /Resource 'your Amazon Connect Instance ARN\/\*' is neither/,
  'awsdocs__amazon-connect-admin-guide__doc_source__security-best-practices__block01.json': /Resource 'Amazon Connect instance ARN' is neither/,
  'awsdocs__amazon-connect-admin-guide__doc_source__security_iam_id-based-policy-examples__block06.json': /invalid JSON: trailing comma/,
  'awsdocs__amazon-connect-admin-guide__doc_source__security_iam_resource-level-policy-examples__block03.json': /invalid JSON: trailing comma/,
};

const policyNames = (p: Principal): string[] => p.policies.map((x) => x.name);

describe('corpus: every file', () => {
  corpusTest('the table lists every corpus file exactly once', (dir) => {
    const fs = require('node:fs') as typeof import('node:fs');
    expect(TABLE.map((r) => r[0]).sort()).toEqual(fs.readdirSync(dir).sort());
  });

  for (const [file, kind, expected] of TABLE) {
    corpusTest(`${file}: ${kind}, ${expected === 'ERROR' ? 'a precise error' : `${expected} principals`}`, (dir) => {
      const r = loadFile(path.join(dir, file));
      expect(r.kind).toBe(kind);
      if (expected === 'ERROR') {
        expect(r.error).toBeInstanceOf(PolicySourceError);
        expect(r.error!.file).toBe(path.join(dir, file));
        expect(r.error!.line).toBeGreaterThan(0);
        expect(r.error!.column).toBeGreaterThan(0);
        expect(r.error!.path).toBeTruthy();
        expect(r.error!.message).toMatch(INVALID[file]!);
        expect(r.principals).toHaveLength(0);
      } else {
        expect(r.error).toBeUndefined();
        expect(r.principals).toHaveLength(expected);
        for (const p of r.principals) {
          expect(p.file).toBe(path.join(dir, file));
          for (const pol of p.policies) {
            if (pol.document !== undefined && pol.origin !== 'managed-arn' && !(pol.origin === 'sam-policy' && !pol.locations)) {
              expect(Object.keys(pol.locations ?? {}).length).toBeGreaterThan(0);
            }
          }
        }
      }
    });
  }
});

describe('corpus: pinned details', () => {
  corpusTest('trailing commas (as published in the admin guide) give the JSON error with line, column and path', (dir) => {
    const f = path.join(dir, 'awsdocs__amazon-connect-admin-guide__doc_source__security_iam_resource-level-policy-examples__block03.json');
    let err: unknown;
    try {
      loadPolicyFile(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicySourceError);
    expect(err).toMatchObject({ file: f, line: 10, column: 9, path: 'Statement[0]' });
    expect((err as Error).message).toContain("trailing comma before '}'");
    const f2 = path.join(dir, 'awsdocs__amazon-connect-admin-guide__doc_source__security_iam_id-based-policy-examples__block06.json');
    expect(() => loadPolicyFile(f2)).toThrow(/block06\.json:10:13: Statement\[0\]\.Action: invalid JSON: trailing comma before '\]'/);
  });

  corpusTest('an invalid resource in a template names the policy statement and its line', (dir) => {
    const f = path.join(dir, 'amazon-connect__amazon-connect-salesforce-scv__Solutions__HolidayCalendar__CloudFormation__sfhc.yaml');
    expect(() => loadTemplate(f)).toThrow(PolicyValidationError);
    expect(() => loadTemplate(f)).toThrow(/sfhc\.yaml:196:13: Resources\.LambdaAssociationPolicy\.Properties\.PolicyDocument\.Statement\[0\]\.Resource\[0\]/);
  });

  corpusTest('SAM: function roles get AWSLambdaBasicExecutionRole, named managed policies and template managed policies by Ref', (dir) => {
    const t = loadTemplate(path.join(dir, 'voicefoundryap__amazon-connect-for-zendesk__add-ons__connect-auth__template.yml'));
    expect(t.sam).toBe(true);
    const fn = t.principal('functionContactInit');
    expect(fn.kind).toBe('function');
    expect(fn.name).toBe('zendeskContactInit-prod');
    expect(fn.policies.map((p) => [p.origin, p.name])).toEqual([
      ['sam-policy', 'AWSLambdaBasicExecutionRole'],
      ['sam-policy', 'AWSLambdaBasicExecutionRole'],
      ['sam-policy', 'lambda-assume-role-prod'],
    ]);
    expect(fn.policies.every((p) => p.document !== undefined && p.unresolved === undefined)).toBe(true);
    expect(fn.policies[2]!.source).toMatchObject({ line: 68, path: 'Resources.policyLambdaAssumeRole.Properties.PolicyDocument' });
    expect(t.principal('functionContactInitRole')).toBe(fn);
  });

  corpusTest('SAM functions with Role point at the template role', (dir) => {
    const t = loadTemplate(path.join(dir, 'amazon-connect__amazon-connect-salesforce-lambda__sam-app__lambda_functions__template.yaml'));
    expect(t.principals.every((p) => p.kind === 'role')).toBe(true);
    expect(t.principal('sfCTRTrigger')).toBe(t.principal('sfCTRTriggerRole'));
  });

  corpusTest('CDK output: roles with AWS managed policy ARNs (Fn::Join with AWS::Partition), DefaultPolicy resources and a managed policy resource', (dir) => {
    const f = path.join(dir, 'jcnovoa-skpi__amazon-connect-call-quality-monitoring__deployment-stack-cdk__sar-update.json');
    const t = loadTemplate(f);
    expect(t.format).toBe('yaml'); // a .json file that holds YAML
    const builder = t.principal('CDKBuilderRoleE762B26F');
    expect(builder.policies.map((p) => p.origin)).toEqual([...Array(9).fill('managed-arn'), 'policy-resource', 'managed-policy-resource']);
    expect(policyNames(builder).slice(0, 3)).toEqual(['CloudFrontFullAccess', 'AWSCloudFormationFullAccess', 'AmazonCognitoPowerUser']);
    expect(builder.policies.every((p) => p.unresolved === undefined)).toBe(true);
    const cdk = loadFile(path.join(dir, 'aws-samples__sample-cdk-constructs-for-amazon-connect__test__integ.default.ts.snapshot__TestConnectStack.template.json'));
    const role = cdk.principals.find((p) => p.id === 'InstanceStorageConfigProviderOnEventHandlerServiceRole054F441A')!;
    expect(role.policies.map((p) => [p.origin, p.name])).toEqual([
      ['managed-arn', 'AWSLambdaBasicExecutionRole'],
      ['policy-resource', 'InstanceStorageConfigProviderOnEventHandlerServiceRoleDefaultPolicy727529C4'],
    ]);
    expect(role.policies[1]!.locations!['Statement[0]']!.line).toBeGreaterThan(847);
  });

  corpusTest('NotAction is kept, with its line', (dir) => {
    const t = loadTemplate(path.join(dir, 'aws-samples__amazon-connect-cicd-workshop__pipelineDeploymentRole.yml'));
    const role = t.principal('PipelineDeploymentRole');
    const doc = role.policies[0]!.document as { Statement: Array<Record<string, unknown>> };
    const i = doc.Statement.findIndex((s) => s.NotAction !== undefined);
    expect(i).toBeGreaterThanOrEqual(0);
    const loc = role.policies[0]!.locations![`Statement[${i}].NotAction`]!;
    expect(loc.line).toBeGreaterThan(0);
    expect(loc.path).toBe(`Resources.rPipelineDeploymentRole.Properties.Policies[0].PolicyDocument.Statement[${i}].NotAction`);
  });

  corpusTest('NotResource is kept (line 2480), and a Join with an empty-default parameter stays a partly known ARN', (dir) => {
    const t = loadTemplate(path.join(dir, 'amazon-connect__voicemail-for-amazon-connect__deployment__aws-connect-vm.template'));
    const pols = t.principals.flatMap((p) => p.policies);
    let found = false;
    for (const p of pols) {
      const st = (p.document as { Statement?: unknown[] } | undefined)?.Statement;
      if (!Array.isArray(st)) continue;
      st.forEach((s, i) => {
        if ((s as { NotResource?: unknown }).NotResource === 'arn:aws:sns:*:*:*') {
          found = true;
          expect(p.locations![`Statement[${i}].NotResource`]!.line).toBe(2480);
        }
        const r = (s as { Resource?: unknown }).Resource;
        if (r instanceof Unresolved && r.parts) {
          expect(r.parts.some((x) => typeof x === 'string')).toBe(true);
        }
      });
    }
    expect(found).toBe(true);
  });

  corpusTest('Fn::If around whole policies and ManagedPolicyArns entries become onlyIf when the condition is unknown', (dir) => {
    const t = loadTemplate(path.join(dir, 'amazon-connect__amazon-connect-salesforce-lambda__sam-app__lambda_functions__template.yaml'));
    expect(t.conditions.AmazonConnectInstanceIdHasValue).toBeUndefined(); // empty default: unknown
    expect(t.conditions.PrivateVpcEnabledCondition).toBe(false);
    const role = t.principal('sfRealTimeQueueMetricsRole');
    const conditional = role.policies.filter((p) => p.onlyIf);
    expect(conditional.length).toBeGreaterThan(0);
    const inline = role.policies.find((p) => p.name === 'sfRealTimeQueueMetricsConnectPolicy')!;
    expect(inline.origin).toBe('inline');
    expect(inline.onlyIf).toBe('sfRealTimeQueueMetricsConnectPolicyCondition');
    // With the parameters given, the conditions are known and the policy is there unconditionally.
    const known = loadTemplate(path.join(dir, 'amazon-connect__amazon-connect-salesforce-lambda__sam-app__lambda_functions__template.yaml'), {
      parameters: { AmazonConnectInstanceId: 'abc', SalesforceCredentialsSecretsManagerARN: '', SalesforceCredentialsKMSKeyARN: '' },
    });
    expect(known.principal('sfRealTimeQueueMetricsRole').policies.find((p) => p.name === 'sfRealTimeQueueMetricsConnectPolicy')?.onlyIf).toBeUndefined();
  });

  corpusTest('resources whose Condition is false with the defaults are not principals, and principal() says why', (dir) => {
    const t = loadTemplate(path.join(dir, 'amazon-connect__ai-powered-speech-analytics-for-amazon-connect__deployment__ai-powered-speech-analytics-for-amazon-connect.yaml'));
    expect(t.conditions.ShouldCreateFargateResources).toBe(false);
    expect(t.warnings.some((w) => w.startsWith('transcriberCodeBuildServiceRole is not created'))).toBe(true);
    expect(() => t.principal('transcriberCodeBuildServiceRole')).toThrow(/Condition is false/);
  });

  corpusTest('AWS managed policy names and ARNs resolve to bundled documents', (dir) => {
    const t = loadTemplate(path.join(dir, 'aws-samples__amazon-connect-migration-utilities__cfn-contact-flow-custom-resources.yml'));
    const fn = t.principal('LexConnectPermissionCustomResource');
    const lex = fn.policies.find((p) => p.name === 'AmazonLexFullAccess')!;
    expect(lex.origin).toBe('sam-policy');
    expect(lex.document).toBeDefined();
    expect(lex.source).toMatchObject({ line: 50, path: 'Resources.LexConnectPermissionCustomResource.Properties.Policies[0]' });
  });

  corpusTest('a Serverless Framework file is not a template', (dir) => {
    const r = loadFile(path.join(dir, 'aws-samples__amazon-connect-rules-engine__serverless.yaml'));
    expect(r).toMatchObject({ kind: 'not-a-template', reason: 'a Serverless Framework file', principals: [] });
    expect(r.error).toBeUndefined();
  });

  corpusTest('a .template file holding YAML and one holding JSON both load', (dir) => {
    expect(loadTemplate(path.join(dir, 'amazon-connect__amazon-connect-realtime-transcription__deployment__cloudformation.template')).format).toBe('yaml');
    expect(loadTemplate(path.join(dir, 'amazon-connect__voicemail-for-amazon-connect__deployment__aws-connect-vm.template')).format).toBe('json');
  });
});
