import { loadFile } from '../../src/loaders';
const r = loadFile(process.argv[2]!);
if (r.error) console.log('ERROR', r.error.message);
for (const p of r.principals) {
  console.log(p.kind, p.id, p.name ?? '', p.source?.line, p.tags ? JSON.stringify(p.tags) : '');
  for (const a of p.policies) console.log('   ', a.origin, a.name, a.onlyIf ? `onlyIf=${a.onlyIf}` : '', a.unresolved ? `UNRESOLVED ${a.unresolved}` : '', a.source?.line, a.source?.path, a.document && !process.argv[3] ? JSON.stringify(a.document).slice(0, 3000) : '');
  if (p.permissionsBoundary) console.log('   boundary', p.permissionsBoundary.name, p.permissionsBoundary.unresolved ?? '');
}
console.log(r.template?.conditions, r.template?.warnings);
