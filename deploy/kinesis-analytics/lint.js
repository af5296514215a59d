#!/usr/bin/env node
// Lints template.yaml with cfn-lint (npm, pinned in package-lock.json), whose bundled CloudFormation
// resource specification (2.29.0) predates properties this template uses (RunConfiguration,
// StreamModeDetails, OwnershipControls, MetricDataQuery.Period, ...). Before validating, this replaces
// that specification in memory with the current one shipped by @aws-cdk/cfnspec (also pinned), so
// cfn-lint checks references, Fn::Sub variables, Fn::GetAtt attributes, conditions, parameter types and
// every resource property against one specification.
//
//   node lint.js [template.yaml] [parameters.json]     exit 0 when valid, 1 with the errors otherwise
'use strict';
const path = require('path');
const fs = require('fs');

const here = __dirname;
const template = path.resolve(process.argv[2] || path.join(here, 'template.yaml'));
const parametersFile = path.resolve(process.argv[3] || path.join(here, 'parameters.json'));

const current = require('@aws-cdk/cfnspec/spec/specification.json');
const bundled = require('cfn-lint/data/aws_resources_specification.json');
const bundledVersion = bundled.ResourceSpecificationVersion;
for (const k of Object.keys(bundled)) delete bundled[k];
Object.assign(bundled, JSON.parse(JSON.stringify(current)));

const api = require('cfn-lint/lib/api');
const parameters = {};
for (const p of JSON.parse(fs.readFileSync(parametersFile, 'utf8'))) {
  parameters[p.ParameterKey] = p.ParameterValue;
}
// Set by deploy.sh from the jar's hash: any key validates the template the same way.
parameters.CodeKey = parameters.CodeKey || 'attune/attune-cluster-0123456789ab.jar';

const result = api.validateFile(template, {parameters, guessParameters: [] });
const lines = [];
lines.push(`cfn-lint ${require('cfn-lint/package.json').version}: ${path.relative(process.cwd(), template)}`
  + ` against resource specification ${current.ResourceSpecificationVersion}`
  + ` (@aws-cdk/cfnspec ${require('@aws-cdk/cfnspec/package.json').version}; bundled ${bundledVersion} replaced)`);
for (const level of ['crit', 'warn', 'info']) {
  for (const e of result.errors[level]) {
    lines.push(`${level}: ${e.resource}: ${e.message}`);
  }
}
lines.push(`templateValid: ${result.templateValid}; ${result.errors.crit.length} crit, `
  + `${result.errors.warn.length} warn, ${result.errors.info.length} info`);
console.log(lines.join('\n'));
process.exit(result.templateValid && result.errors.crit.length === 0 ? 0 : 1);
