import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resources } from '~/i18n/config';

// A key missing from the catalogue renders as the key itself, and no type checks keys; this does.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

function lookup(key: string, defaultNamespace: string): unknown {
  const [namespace, dotted] = key.includes(':') ? key.split(':') : [defaultNamespace, key];
  const catalogue = resources.en[namespace as keyof typeof resources.en] as Record<string, unknown> | undefined;
  return dotted!.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
}

// Literal keys only: t('a.b'), t("a.b"), i18nKey="a.b"; keys built from a value (t(`status.${s}`)) are not checked.
const KEY = /\b(?:t|metaT\(matches\))\(\s*'([^'$]+)'|\bt\(\s*"([^"$]+)"|i18nKey="([^"]+)"/g;

describe('translation keys', () => {
  const uses = sourceFiles('app').flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(KEY)].map((match) => ({ file, key: (match[1] ?? match[2] ?? match[3])! })),
  );
  // Email builders take recipientT(), whose namespace is emails; everything else uses common.
  const namespaceOf = (file: string) => (file.startsWith(path.join('app', 'modules', 'notifications')) ? 'emails' : 'common');

  it('finds the keys the app uses', () => {
    expect(uses.length).toBeGreaterThan(500);
  });

  it('has every literal key in the English catalogue, as a string or as plural forms', () => {
    const missing = uses.filter(({ file, key }) => ![key, `${key}_other`].some((k) => typeof lookup(k, namespaceOf(file)) === 'string'));
    expect(missing).toEqual([]);
  });
});
