// The documents the evaluator benches share (bench/evaluator.bench.js, bench/reference.bench.js),
// so the fast/reference ratio is measured on exactly what the fast figures are.
'use strict';

// 1-statement policy with a wildcard and a condition.
const one = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'connect:Describe*', Resource: 'arn:aws:connect:*:*:instance/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }],
};

// 20-statement custom policy: wildcards, NotAction/NotResource, conditions.
function custom20() {
  const s = [];
  const services = ['connect', 's3', 'kms', 'ds', 'iam', 'logs', 'lex', 'kinesis', 'firehose', 'profile'];
  for (let i = 0; i < 16; i++) {
    const svc = services[i % services.length];
    const statement = {
      Sid: `Custom${i}`,
      Effect: 'Allow',
      Action: [`${svc}:Describe*`, `${svc}:List*`, `${svc}:Get?${i}*`],
      Resource: i % 2 ? '*' : `arn:aws:${svc}:*:*:*`,
    };
    if (i % 3 === 0) statement.Condition = { StringLike: { 'aws:PrincipalTag/team': ['connect-*', 'ops-?'] } };
    if (i % 3 === 1) statement.Condition = { Bool: { 'aws:SecureTransport': 'true' } };
    s.push(statement);
  }
  s.push({ Sid: 'DenyDelete', Effect: 'Deny', Action: 'connect:Delete*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/role': 'admin' } } });
  s.push({ Sid: 'DenyOutsideEU', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } });
  s.push({ Sid: 'NotRes', Effect: 'Allow', Action: 'kms:CreateGrant', NotResource: 'arn:aws:kms:*:*:key/secret-*', Condition: { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] } } });
  s.push({ Sid: 'Put', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: 'arn:aws:iam::*:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect*' });
  return { Version: '2012-10-17', Statement: s };
}

// A context that pins every key the 20-statement policy depends on.
const context = { 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalTag/team': 'connect-a', 'aws:SecureTransport': 'true', 'aws:PrincipalTag/role': 'admin', 'kms:GrantOperations': ['Decrypt'] };

module.exports = { one, custom20, context };
