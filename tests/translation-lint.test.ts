import { ESLint } from 'eslint';

// The rule in eslint.config.js that keeps words in the catalogue must fire on a route, not just be configured.
const eslint = new ESLint({ cwd: process.cwd() });

async function literalStringReports(code: string, filePath = 'app/routes/example.tsx') {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'i18next/no-literal-string');
}

describe('i18next/no-literal-string', () => {
  it('reports a literal word in a route’s JSX and in a label prop', async () => {
    const reports = await literalStringReports(
      `export default function Page() { return <main><h1>Report a problem</h1><input aria-label="Search categories" /></main>; }\n`,
    );
    expect(reports.map((r) => r.message)).toEqual([
      expect.stringContaining('Report a problem'),
      expect.stringContaining('Search categories'),
    ]);
  });

  it('reports a literal word in a component', async () => {
    const reports = await literalStringReports(`export function Tag() { return <span>Closed</span>; }\n`, 'app/components/tag.tsx');
    expect(reports).toHaveLength(1);
  });

  it('accepts words from t() and data attributes', async () => {
    const reports = await literalStringReports(
      `import { useTranslation } from 'react-i18next';\n` +
        `export default function Page() {\n  const { t } = useTranslation();\n` +
        `  return <main><h1>{t('report.heading')}</h1><a href="/report" className="usa-link" aria-label={t('report.link')}>{t('report.link')}</a></main>;\n}\n`,
    );
    expect(reports).toEqual([]);
  });
});
