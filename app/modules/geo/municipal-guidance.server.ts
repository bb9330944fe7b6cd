import { readFileSync } from 'node:fs';
import path from 'node:path';

type GuidanceFile = { directory: { name: string; url: string }; requestSystems: Record<string, string> };
let guidance: GuidanceFile | undefined;

function guidanceFile(): GuidanceFile {
  guidance ??= JSON.parse(readFileSync(path.join(process.cwd(), 'tenants/_statewide/municipal-guidance.json'), 'utf8')) as GuidanceFile;
  return guidance;
}

/**
 * Where a resident can report a problem in a municipality that does not use Commonwealth Connect:
 * its own request system where the program knows it, and always the state's directory of cities
 * and towns (tenants/_statewide/municipal-guidance.json), so the answer is never a dead end.
 */
export function municipalGuidance(slug: string): { requestSystem: string | null; directoryUrl: string } {
  const file = guidanceFile();
  return { requestSystem: file.requestSystems[slug] ?? null, directoryUrl: file.directory.url };
}
