import { findServerImportsInBrowserCode, serverImportsInBrowserCode } from './browser-server-imports';

describe('values from .server modules in browser code', () => {
  it('finds none in any route or component', () => {
    expect(findServerImportsInBrowserCode()).toEqual([]);
  });

  it('finds a limit the page renders, as the templates page once did, through a helper component', () => {
    const source = `
      import { json } from '@remix-run/node';
      import { listTemplates, TEMPLATE_BODY_MAX, type ResponseTemplate } from '~/modules/templates/response-templates.server';
      export async function loader() { return json({ templates: await listTemplates() }); }
      export default function Page() { return <Fields />; }
      function Fields() { return <textarea maxLength={TEMPLATE_BODY_MAX} />; }
    `;
    expect(serverImportsInBrowserCode('app/routes/example.tsx', source, { wholeModule: false })).toEqual([
      { file: 'app/routes/example.tsx', name: 'TEMPLATE_BODY_MAX', module: '~/modules/templates/response-templates.server' },
    ]);
  });

  it('accepts what only the loader, the action or a type uses', () => {
    const source = `
      import { canDecodeHeic, type Photo } from '~/modules/photos/photo-pipeline.server';
      import { requestT } from '~/i18n/i18n.server';
      const form = () => ({ heic: canDecodeHeic });
      export async function loader() { return form(); }
      export async function action({ request }) { return (await requestT(request))('x'); }
      export default function Page(props: { photo: Photo; max: typeof canDecodeHeic }) { return <p>{props.photo.heic}</p>; }
    `;
    expect(serverImportsInBrowserCode('app/routes/example.tsx', source, { wholeModule: false })).toEqual([]);
  });
});
